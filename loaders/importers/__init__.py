"""Importers of official machine-readable lists: one module per source format behind one interface."""

from loaders.importers import opensanctions_ftm, un_sc_consolidated, us_ofac_enhanced, us_ofac_sdn
from loaders.importers.base import Importer

IMPORTERS: dict[str, Importer] = {
    "un_sc_consolidated": un_sc_consolidated.IMPORTER,
    "us_ofac_sdn": us_ofac_sdn.IMPORTER,
    "us_ofac_enhanced": us_ofac_enhanced.IMPORTER,
    "opensanctions_ftm": opensanctions_ftm.IMPORTER,
}
