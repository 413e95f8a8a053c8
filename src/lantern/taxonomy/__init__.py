"""Lantern's code lists and reference data (pure Python: no Django, no database).

The lists are versioned YAML files in ``data/``, each with a `source` citation and a
`verified` flag (see README.md). Submodules: ``countries`` (ISO 3166 + UNODC regions),
``ilo`` (ILO/EC trafficking indicators), ``ctdc`` (CTDC exchange mappings), ``ages``,
``areas`` (countries and their provinces, one vocabulary for every area).
"""

from lantern.taxonomy.ages import age_group, age_group_of_range
from lantern.taxonomy.codes import (
    LANGUAGES,
    Code,
    CodeList,
    code_list,
    list_names,
    supported_language,
    validate,
)
from lantern.taxonomy.countries import Country, all_countries, country
from lantern.taxonomy.errors import TaxonomyDataError, UnknownCode

__all__ = [
    "LANGUAGES",
    "Code",
    "CodeList",
    "Country",
    "TaxonomyDataError",
    "UnknownCode",
    "age_group",
    "age_group_of_range",
    "all_countries",
    "code_list",
    "country",
    "list_names",
    "supported_language",
    "validate",
]
