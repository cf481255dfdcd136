"""Importers on real excerpts, the snapshot replay and its diffing rules, the import command and bad files."""

import hashlib
import json
from pathlib import Path

import pytest

from loaders.__main__ import main
from loaders.importers import IMPORTERS
from loaders.importers.base import ImportFailed
from loaders.importing import import_snapshot
from loaders.snapshots import replay_snapshots
from loaders.validate import validate_package

FIXTURES = Path(__file__).parent / "fixtures"
UN = IMPORTERS["un_sc_consolidated"]
SDN = IMPORTERS["us_ofac_sdn"]
HTS = "g-70863db8"


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def _replay(data_dir: Path):
    return replay_snapshots(data_dir, validate_package(data_dir).tables)


def test_un_excerpt_is_read_with_its_quirks():
    snapshot = UN.read(FIXTURES / "un_consolidated_2015-03-27_excerpt.xml", {}, None)
    assert snapshot.snapshot_date == "2015-03-27" and snapshot.individuals_skipped == 1
    by_reference = {e.identifiers[0][1]: e for e in snapshot.entities.values()}
    aqi = by_reference["QDe.115"]
    assert (aqi.key, aqi.name, aqi.regime, aqi.listed_on) == ("113966", "AL-QAIDA IN IRAQ", "Al-Qaida", "2004-10-18")
    assert aqi.amended_on == ["2004-12-02", "2009-03-05", "2011-12-13", "2013-05-30", "2014-05-14", "2014-06-02"]
    assert ("Islamic State in Iraq and the Levant", "alias") in aqi.aliases
    assert aqi.original_script == "القاعده في العراق"
    assert by_reference["QDe.137"].listed_on == "2014-05-14"
    assert by_reference["TAe.014"].listed_on == "2015-03-27"  # written 2015-03-27-04:00 in the file
    assert by_reference["LRe.001"].regime == "Liberia"


def test_sdn_excerpt_is_read_with_its_quirks():
    snapshot = SDN.read(FIXTURES / "us_ofac_sdn_2024-05-03_excerpt.csv", {"programmes": ["FTO"]}, "2024-05-03")
    assert sorted(e.name for e in snapshot.entities.values()) == [
        "HAMAS",
        "HARAKAT UL-MUJAHIDEEN",
        "ISLAMIC STATE OF IRAQ AND THE LEVANT",
    ]
    assert snapshot.individuals_skipped == 2  # the two Cuba-programme rows, counted
    assert snapshot.entities["4696"].aliases == [("HUA", "alias"), ("HUM", "alias")]
    assert snapshot.entities["8759"].identifiers == [("ofac_entity_number", "8759")]
    with pytest.raises(ImportFailed, match="give the snapshot date"):
        SDN.read(FIXTURES / "us_ofac_sdn_2024-05-03_excerpt.csv", {}, None)


def test_replaying_the_real_snapshots():
    result = _replay(Path("data"))
    events = result.tables["events"]
    nusra = events[
        (events["group_id"] == HTS) & (events["designator_code"] == "UN") & (events["event_type"] == "listing")
    ]
    assert nusra[["event_type", "decision_date", "legal_reference"]].values.tolist() == [
        ["listing", "2014-05-14", "QDe.137"]
    ]
    liberia = events[events["scope"] == "UN list: Liberia"]
    assert set(liberia["event_type"]) == {"listing", "expiry"}  # the regime ended: not delistings
    assert set(liberia.loc[liberia["event_type"] == "expiry", "decision_date"]) == {"2015-03-27/2017-07-03"}
    delistings = events[(events["event_type"] == "delisting") & (events["designator_code"] == "UN")]
    assert set(delistings["decision_date"]) <= {
        "2014-12-12/2015-03-27",
        "2015-03-27/2017-07-03",
        "2017-07-03/2018-10-29",
    }
    assert len(delistings) > 0
    # QDe.115's listing and amendments are curated: the curated events win and gain the snapshot as a source.
    assert not ((events["designator_code"] == "UN") & (events["group_id"] == "g-573fed31")).any()
    links = result.tables["event_sources"]
    assert "un-sc-consolidated-2014-12-12" in set(links.loc[links["event_id"] == "e-2c087513", "source_id"])
    sdn = events[events["origin"] == "us_ofac_sdn"]
    assert set(sdn["event_type"]) == {"listing"}  # the six FTO revocations seen between the two files are curated
    assert set(sdn["decision_date"]) <= {"1997-10-08/2021-08-18", "2021-08-18/2024-05-03"}


def test_every_imported_event_links_to_its_snapshot():
    tables = _replay(Path("data")).tables
    linked = set(tables["event_sources"]["event_id"])
    assert set(tables["events"]["event_id"]) <= linked
    assert set(tables["snapshots"]["sha256"].str.len()) == {64}


def test_reimporting_a_snapshot_changes_nothing(data_copy: Path):
    before = _tree_digest(data_copy)
    stored = next((data_copy / "raw" / "un_sc_consolidated" / "2018-10-29").glob("*.xml"))
    lines = import_snapshot("un_sc_consolidated", stored, data_copy)
    assert lines == ["un_sc_consolidated 2018-10-29: this file is already stored; nothing changes."]
    assert _tree_digest(data_copy) == before


def test_a_newer_snapshot_never_seen_works_and_dates_the_delisting(data_copy: Path, tmp_path: Path, capsys):
    text = next((data_copy / "raw" / "un_sc_consolidated" / "2018-10-29").glob("*.xml")).read_text(encoding="utf-8")
    text = text.replace(
        'dateGenerated="2018-10-29T19:09:49.856-04:00"', 'dateGenerated="2019-02-01T10:00:00.000-05:00"'
    )
    start = text.index("<ENTITY><DATAID>6908429</DATAID>")
    text = text[:start] + text[text.index("</ENTITY>", start) + len("</ENTITY>") :]
    newer = tmp_path / "consolidated.xml"
    newer.write_text(text, encoding="utf-8")
    assert main(["import", "un_sc_consolidated", str(newer), "--data", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert "1 new delisting event(s)" in out and "2018-10-29/2019-02-01" in out
    events = _replay(data_copy).tables["events"]
    assert events[(events["group_id"] == HTS) & (events["event_type"] == "delisting")]["decision_date"].tolist() == [
        "2018-10-29/2019-02-01"
    ]


BAD_XML = {
    "malformed": ("<CONSOLIDATED_LIST dateGenerated='2020-01-01'><ENTITIES><ENTITY>", "not well-formed XML"),
    "entity bomb": (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>",
        "refused",
    ),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>",
        "refused",
    ),
    "wrong root": ("<sanctionsList dateGenerated='2020-01-01'/>", "wrong root element"),
    "no date": ("<CONSOLIDATED_LIST><ENTITIES/></CONSOLIDATED_LIST>", "CONSOLIDATED_LIST: missing"),
    "bad listed-on": (
        "<CONSOLIDATED_LIST dateGenerated='2020-01-01T00:00:00'><ENTITIES><ENTITY><DATAID>7</DATAID>"
        "<FIRST_NAME>X</FIRST_NAME><LISTED_ON>18.10.2004</LISTED_ON></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
        "ENTITY[1] (DATAID 7): '18.10.2004' is not a date",
    ),
    "no dataid": (
        "<CONSOLIDATED_LIST dateGenerated='2020-01-01T00:00:00'><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME>"
        "</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
        "DATAID",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_XML))
def test_bad_un_files_fail_clearly_and_change_nothing(case: str, data_copy: Path, tmp_path: Path):
    content, expected = BAD_XML[case]
    bad = tmp_path / "bad.xml"
    bad.write_text(content, encoding="utf-8")
    before = _tree_digest(data_copy)
    with pytest.raises(ImportFailed) as failure:
        import_snapshot("un_sc_consolidated", bad, data_copy)
    assert "bad.xml" in str(failure.value) and expected in str(failure.value)
    assert _tree_digest(data_copy) == before


def test_sdn_with_a_changed_column_count_names_line_and_field(tmp_path: Path):
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        b'4695,"HAMAS",-0- ,"FTO] [SDGT",-0- \r\n\x1a'
    )
    with pytest.raises(ImportFailed, match=r"sdn.csv: Call_Sign: line 2: row has 5 fields, the SDN format has 12"):
        SDN.read(bad, {}, "2024-05-03")


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(ImportFailed, match="over the 1,000-byte limit"):
        UN.read(FIXTURES / "un_consolidated_2015-03-27_excerpt.xml", {"max_bytes": 1000}, None)


def test_a_modified_stored_snapshot_is_refused(data_copy: Path):
    stored = next((data_copy / "raw" / "us_ofac_sdn" / "2024-05-03").glob("*.csv"))
    stored.write_bytes(stored.read_bytes().replace(b"HAMAS", b"HAMAZ"))
    with pytest.raises(Exception, match="differs from origin.json"):
        _replay(data_copy)


FTM = IMPORTERS["opensanctions_ftm"]


def test_ftm_delta_is_read():
    snapshot = FTM.read(FIXTURES / "opensanctions_delta_2024-05-27_isil.json", {}, "2024-05-27")
    assert [e.name for e in snapshot.entities.values()] == ["AL-QAIDA IN IRAQ"]
    entity = next(iter(snapshot.entities.values()))
    assert ("Islamic State in Iraq and the Levant", "alias") in entity.aliases
    assert snapshot.individuals_skipped == 1  # the Person record, counted


def test_ftm_entity_file_with_a_sanction_gives_listing_and_end_dates(tmp_path: Path):
    lines = (FIXTURES / "opensanctions_ftm_eu_fsf_sample.json").read_text(encoding="utf-8").splitlines()
    organisation = next(json.loads(line) for line in lines if json.loads(line)["schema"] == "Organization")
    # A Sanction record in FtM's shape, pointing at a real organisation of the sample.
    sanction = {
        "id": "test-sanction",
        "schema": "Sanction",
        "properties": {
            "entity": [organisation["id"]],
            "program": ["EU test programme"],
            "startDate": ["2014-03-20"],
            "endDate": ["2016-09"],
        },
    }
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(lines + [json.dumps(sanction)]) + "\n", encoding="utf-8")
    entity = FTM.read(path, {}, "2024-06-13").entities[organisation["id"]]
    assert (entity.listed_on, entity.ended_on, entity.regime) == ("2014-03-20", "2016-09", "EU test programme")


def test_ftm_line_that_is_not_json_names_the_line(tmp_path: Path):
    path = tmp_path / "entities.ftm.json"
    path.write_text('{"id": "a", "schema": "Organization", "properties": {}}\nnot json\n', encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"entities.ftm.json: -: line 2: not JSON"):
        FTM.read(path, {}, "2024-06-13")


ENHANCED = IMPORTERS["us_ofac_enhanced"]
ENHANCED_NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML"


def test_enhanced_xml_excerpt_keeps_fto_entities_and_their_sdn_dates():
    snapshot = ENHANCED.read(FIXTURES / "us_ofac_enhanced_2024-08-28_excerpt.xml", {"programmes": ["FTO"]}, None)
    assert snapshot.snapshot_date == "2024-08-28"
    assert sorted(snapshot.entities) == ["10391", "26719"]
    assert snapshot.individuals_skipped == 2  # the individual and the IRGC-only entity, counted
    ground = snapshot.entities["26719"]
    assert (ground.name, ground.regime, ground.listed_not_before, ground.listed_on) == (
        "IRGC GROUND FORCES",
        "FTO",
        "2019-04-15",
        None,
    )
    assert ("ISLAMIC REVOLUTION GUARDS CORPS GROUND FORCE", "alias") in ground.aliases
    assert "legal authorities INA" in ground.raw_excerpt
    # The IRGC's datePublished is its 2007 SDN listing (E.O. 13224), not its 2019 FTO designation.
    assert snapshot.entities["10391"].listed_not_before == "2007-10-25"
    assert snapshot.entities["10391"].listed_on is None


def test_the_stored_enhanced_snapshot_dates_listings_as_windows_and_links_the_curated_irgc():
    result = _replay(Path("data"))
    events = result.tables["events"]
    enhanced = events[events["origin"] == "us_ofac_enhanced"]
    ground = enhanced[enhanced["name_as_listed"] == "IRGC GROUND FORCES"].iloc[0]
    assert (ground["event_type"], ground["decision_date"], ground["designator_code"], ground["category"]) == (
        "listing",
        "2019-04-15/2024-08-28",
        "US",
        "terrorist",
    )
    assert not (enhanced["decision_date"] == "2007-10-25").any(), "an SDN listing date is never an FTO date"
    report = next(r for r in result.reports if r.slug == "us_ofac_enhanced")
    assert report.curated_matches == 1  # the IRGC itself: the curated 2019-04-15 designation wins
    assert not (enhanced["group_id"] == "g-74a4e216").any()


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<CONSOLIDATED_LIST dateGenerated='2020-01-01'/>", "wrong root element: expected sanctionsData"),
        (
            f"<sanctionsData xmlns='{ENHANCED_NS}'><publicationInfo><dataAsOf>28/08/2024</dataAsOf>"
            "</publicationInfo></sanctionsData>",
            "publicationInfo: '28/08/2024' is not a date",
        ),
        (
            f"<sanctionsData xmlns='{ENHANCED_NS}'><publicationInfo><dataAsOf>2024-08-28T00:00:00</dataAsOf>"
            "</publicationInfo><entities><entity id='5'><generalInfo><entityType>Entity</entityType></generalInfo>"
            "<sanctionsPrograms><sanctionsProgram>FTO</sanctionsProgram></sanctionsPrograms></entity></entities>"
            "</sanctionsData>",
            "entity[@id=5]: no SDN List entry",
        ),
        (
            '<!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',
            "refused",
        ),
    ],
)
def test_bad_enhanced_files_fail_naming_the_element(xml: str, expected: str, tmp_path: Path):
    path = tmp_path / "enhanced.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        ENHANCED.read(path, {"programmes": ["FTO"]}, None)
    message = str(failure.value)
    assert "enhanced.xml" in message and expected in message
