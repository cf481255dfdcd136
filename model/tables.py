"""Database tables (SQLModel, table=True only); dates are kept as recorded text plus their window."""

from sqlmodel import Field, SQLModel


class Designator(SQLModel, table=True):
    """A state (ISO 3166-1 alpha-2, or ISO 3166-3 for a former state) or a body such as UN or EU."""

    __tablename__ = "designators"
    __table_args__ = {"sqlite_with_rowid": False}  # looked up by key for every exported event
    code: str = Field(primary_key=True)
    name: str
    kind: str
    is_former: bool = False
    m49_code: str | None = None
    region: str | None = None
    sub_region: str | None = None
    intermediate_region: str | None = None


class Bloc(SQLModel, table=True):
    """A grouping of designators used for comparison (EU, CIS, CSTO, ...)."""

    __tablename__ = "blocs"
    bloc: str = Field(primary_key=True)
    name: str
    source_url: str


class BlocMember(SQLModel, table=True):
    """A designator's membership of a bloc, with the dates a source gives."""

    __tablename__ = "bloc_members"
    bloc: str = Field(primary_key=True, foreign_key="blocs.bloc")
    designator_code: str = Field(primary_key=True, foreign_key="designators.code")
    joined_date: str = Field(primary_key=True)
    left_date: str | None = None
    source_url: str
    notes: str | None = None


class Group(SQLModel, table=True):
    """An organisation, under a stable opaque id that never depends on its name."""

    __tablename__ = "groups"
    __table_args__ = {"sqlite_with_rowid": False}  # looked up by key for every exported event
    group_id: str = Field(primary_key=True)
    name: str
    wikidata_qid: str | None = None
    description: str | None = None
    is_reviewed: bool = True  # False for a group created by an importer that no curator has matched yet


class GroupName(SQLModel, table=True):
    """Another name of a group: alias, former name, translation or name in its original script."""

    __tablename__ = "group_names"
    group_id: str = Field(primary_key=True, foreign_key="groups.group_id")
    name: str = Field(primary_key=True)
    name_type: str = Field(primary_key=True)
    language: str | None = None
    script: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    source_id: str | None = Field(default=None, foreign_key="sources.source_id")


class GroupIdentifier(SQLModel, table=True):
    """An external id of a group: UN reference number, OFAC entity number."""

    __tablename__ = "group_identifiers"
    scheme: str = Field(primary_key=True)
    value: str = Field(primary_key=True)
    group_id: str = Field(foreign_key="groups.group_id")
    source_id: str | None = Field(default=None, foreign_key="sources.source_id")


class Authority(SQLModel, table=True):
    """A court, ministry, legislature, committee or council that issues designations."""

    __tablename__ = "authorities"
    __table_args__ = {"sqlite_with_rowid": False}  # looked up by key for every exported event
    authority_id: str = Field(primary_key=True)
    designator_code: str = Field(foreign_key="designators.code")
    name: str
    name_original: str | None = None
    kind: str


class Source(SQLModel, table=True):
    """A document an event rests on."""

    __tablename__ = "sources"
    source_id: str = Field(primary_key=True)
    url: str
    title: str
    publisher: str
    publication_date: str | None = None
    access_date: str
    archive_url: str | None = None
    # Derived at build time: how many events cite the source.
    cited_by: int = 0


class Event(SQLModel, table=True):
    """One legal act (or reported ban) of one designator concerning one group."""

    __tablename__ = "events"
    event_id: str = Field(primary_key=True)
    designator_code: str = Field(foreign_key="designators.code")
    group_id: str = Field(foreign_key="groups.group_id")
    name_as_listed: str
    event_type: str
    category: str
    formality: str
    decision_date: str | None = None
    publication_date: str | None = None
    entry_into_force_date: str | None = None
    authority_id: str | None = Field(default=None, foreign_key="authorities.authority_id")
    legal_reference: str | None = None
    scope: str | None = None
    notes: str | None = None
    # Derived at build time: the act's date (decision, else publication, else entry into force)
    # as the first and last day it can mean, for sorting and range filters.
    act_date: str
    act_date_earliest: str
    act_date_latest: str
    origin: str = "curated"  # "curated", or the slug of the importer whose snapshots produced the event
    # Derived at build time: this is the designator's first formal listing of the group (by act date).
    is_first_formal_listing: bool = False
    # Derived at build time: the addresses of the event's sources, sorted and space-joined.
    source_urls: str | None = None
    # Derived at build time: which of the event's events.csv cells need care when written as CSV
    # (bits of loaders.safe_csv: CSV_QUOTED, CSV_LAST_QUOTED, CSV_FORMULA); 0 for most events.
    csv_care: int = 0


class Snapshot(SQLModel, table=True):
    """A stored snapshot of an official list file, kept unchanged under data/raw/<slug>/<date>/."""

    __tablename__ = "snapshots"
    source_id: str = Field(primary_key=True, foreign_key="sources.source_id")
    slug: str
    snapshot_date: str
    file_name: str
    sha256: str
    generated_at: str | None = None


class EventSource(SQLModel, table=True):
    """The link between an event and a source, with the quote read there."""

    __tablename__ = "event_sources"
    event_id: str = Field(primary_key=True, foreign_key="events.event_id")
    source_id: str = Field(primary_key=True, foreign_key="sources.source_id")
    quote: str | None = None
    is_date_checked: bool


class Coverage(SQLModel, table=True):
    """What the project tracks for a designator (whole list, or one group), since when and how."""

    __tablename__ = "coverage"
    designator_code: str = Field(primary_key=True, foreign_key="designators.code")
    group_id: str = Field(primary_key=True)  # "*" means the designator's whole list
    tracked_from: str
    tracked_to: str | None = None
    method: str
    last_verified: str
    notes: str | None = None


class DesignatorYear(SQLModel, table=True):
    """Derived at build time: how many groups a designator had of each status at some point of a year."""

    __tablename__ = "designator_years"
    designator_code: str = Field(primary_key=True, foreign_key="designators.code")
    year: int = Field(primary_key=True)
    status: str = Field(primary_key=True)  # listed, reported or suspended
    groups: int


class DesignatorSummary(SQLModel, table=True):
    """Derived at build time: a designator's number of events and the span of their act dates."""

    __tablename__ = "designator_summaries"
    designator_code: str = Field(primary_key=True, foreign_key="designators.code")
    events: int
    first_act: str
    last_act: str


class GroupSummary(SQLModel, table=True):
    """Derived at build time: how many designators formally listed a group (its first listings)."""

    __tablename__ = "group_summaries"
    group_id: str = Field(primary_key=True, foreign_key="groups.group_id")
    designators: int


class BuildInfo(SQLModel, table=True):
    """One row: the version of the data package the database was built from."""

    __tablename__ = "build_info"
    data_version: str = Field(primary_key=True)
    schema_version: str
    event_count: int


# Indexes are created after the bulk load (loading into indexed tables is several times slower).
INDEX_STATEMENTS = (
    # Covers a designator's filter, its rows in act-date order, and its events per authority and per group.
    "CREATE INDEX ix_events_designator "
    "ON events (designator_code, act_date_earliest, act_date_latest, authority_id, group_id)",
    "CREATE INDEX ix_events_group ON events (group_id, act_date_earliest)",
    "CREATE INDEX ix_events_act_date ON events (act_date_earliest, act_date_latest)",
    "CREATE INDEX ix_event_sources_source ON event_sources (source_id)",
    "CREATE INDEX ix_sources_cited ON sources (cited_by DESC, source_id)",
    "CREATE INDEX ix_group_names_name ON group_names (name)",
    "CREATE INDEX ix_group_identifiers_group ON group_identifiers (group_id)",
    "CREATE INDEX ix_events_first_listing ON events (is_first_formal_listing, group_id, designator_code)",
)
