"""Controlled vocabularies shared by the data package, the database and the app."""

EVENT_TYPES = (
    "listing",
    "amendment",
    "renewal",
    "suspension",
    "annulment",
    "expiry",
    "delisting",
)
CATEGORIES = ("terrorist", "extremist", "banned_other", "sanctions_only")
FORMALITIES = ("formal", "reported")
AUTHORITY_KINDS = (
    "supreme_court",
    "lower_court",
    "military_court",
    "executive",
    "legislature",
    "intergovernmental_committee",
    "council",
)
DESIGNATOR_KINDS = ("state", "intergovernmental", "supranational")
NAME_TYPES = ("alias", "former_name", "translation", "original_script")
IDENTIFIER_SCHEMES = ("un_reference", "ofac_entity_number", "wikidata_qid", "opensanctions_id")

# Event types that end a status interval, and the one that pauses it.
CLOSING_EVENT_TYPES = ("delisting", "expiry", "annulment")
PAUSING_EVENT_TYPES = ("suspension",)
