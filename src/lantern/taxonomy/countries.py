"""Countries: ISO 3166-1 codes and names from pycountry, with UNODC GLOTIP regions.

Names come from pycountry's own gettext catalogues at run time rather than being copied, so
they follow the iso-codes project's corrections. Regions come from ``unodc-regions.yaml``,
because GLOTIP tables and flow classes (domestic / intra-subregional / intra-regional /
trans-regional) are reported by UNODC's grouping, not by M49's.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from typing import Any, Literal

import pycountry

from lantern.taxonomy.codes import COUNTRIES, LANGUAGES, Code, CodeList, read_data_file
from lantern.taxonomy.errors import TaxonomyDataError, UnknownCode

REGIONS_FILE = "unodc-regions.yaml"
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")

FlowScope = Literal["domestic", "intra_subregional", "intra_regional", "trans_regional"]


@dataclass(frozen=True)
class Country:
    """One ISO 3166-1 country or territory and its UNODC region (None if uninhabited)."""

    alpha2: str
    alpha3: str
    numeric: str
    english_name: str
    region: str | None
    subregion: str | None

    def name(self, lang: str = "en") -> str:
        """The short name in ``lang`` (any language pycountry translates; English fallback)."""
        if lang == "en":
            return self.english_name
        return _translator(lang).gettext(self.english_name)


@dataclass(frozen=True)
class RegionTable:
    """The UNODC region file: alpha-3 -> (region, subregion), with its provenance."""

    version: str
    source: str
    verified: bool
    placement: dict[str, tuple[str, str]]
    unassigned: frozenset[str]


@lru_cache(maxsize=16)
def _translator(lang: str) -> gettext.NullTranslations:
    if not _LANGUAGE_TAG.match(lang):
        raise ValueError(f"invalid language tag {lang!r}; use an ISO 639 code such as 'fr'")
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def _parse_regions(content: dict[str, Any]) -> RegionTable:
    placement: dict[str, tuple[str, str]] = {}
    regions = content.get("regions")
    if not isinstance(regions, dict):
        raise TaxonomyDataError(f"{REGIONS_FILE}: 'regions' must be a mapping")
    for region, subregions in regions.items():
        if not isinstance(subregions, dict):
            raise TaxonomyDataError(f"{REGIONS_FILE}: region {region!r} must map subregions")
        for subregion, members in subregions.items():
            for alpha3 in members:
                if alpha3 in placement:
                    raise TaxonomyDataError(f"{REGIONS_FILE}: {alpha3} placed twice")
                placement[alpha3] = (str(region), str(subregion))
    unassigned = frozenset(content.get("unassigned") or ())
    if unassigned & placement.keys():
        raise TaxonomyDataError(
            f"{REGIONS_FILE}: {sorted(unassigned & placement.keys())} both placed and unassigned"
        )
    if not isinstance(content.get("verified"), bool):
        raise TaxonomyDataError(f"{REGIONS_FILE}: 'verified' must be true or false")
    return RegionTable(
        version=str(content["version"]),
        source=str(content["source"]),
        verified=bool(content["verified"]),
        placement=placement,
        unassigned=unassigned,
    )


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    """The UNODC region placement, with its `source` and `verified` flag for provenance."""
    return _parse_regions(read_data_file(REGIONS_FILE))


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    table = region_table()
    result: dict[str, Country] = {}
    for entry in pycountry.countries:
        region, subregion = table.placement.get(entry.alpha_3, (None, None))
        if region is None and entry.alpha_3 not in table.unassigned:
            raise TaxonomyDataError(f"{REGIONS_FILE}: no region for {entry.alpha_3}")
        result[entry.alpha_3] = Country(
            alpha2=entry.alpha_2,
            alpha3=entry.alpha_3,
            numeric=entry.numeric,
            english_name=getattr(entry, "common_name", None) or entry.name,
            region=region,
            subregion=subregion,
        )
    return result


@lru_cache(maxsize=1)
def _by_alpha2() -> dict[str, Country]:
    return {c.alpha2: c for c in _countries().values()}


def country(code: str) -> Country:
    """The country with this ISO alpha-2 or alpha-3 code, any case; raises UnknownCode."""
    key = code.strip().upper() if isinstance(code, str) else ""
    found = _countries().get(key) if len(key) == 3 else _by_alpha2().get(key)
    if found is None:
        raise UnknownCode(COUNTRIES, code, _countries().keys())
    return found


def all_countries() -> tuple[Country, ...]:
    """Every ISO 3166-1 entry pycountry knows, in alpha-3 order."""
    return tuple(sorted(_countries().values(), key=lambda c: c.alpha3))


def flow_scope(origin: str, destination: str) -> FlowScope | None:
    """GLOTIP class of a flow between two countries; None when a side has no region."""
    a, b = country(origin), country(destination)
    if a.alpha3 == b.alpha3:
        return "domestic"
    if a.region is None or b.region is None:
        return None
    if a.subregion == b.subregion:
        return "intra_subregional"
    if a.region == b.region:
        return "intra_regional"
    return "trans_regional"


@lru_cache(maxsize=1)
def country_code_list() -> CodeList:
    """Countries as a code list (ids alpha-3, alpha-2 accepted as alias) for forms and imports."""
    codes = tuple(
        Code(
            id=c.alpha3,
            **{lang: c.name(lang) for lang in LANGUAGES},
            htcds=c.alpha2,
        )
        for c in all_countries()
    )
    return CodeList(
        name=COUNTRIES,
        version=f"pycountry {metadata.version('pycountry')}",
        source="ISO 3166-1 country codes and names, from the Debian iso-codes database via "
        f"pycountry; regions: {region_table().source}",
        verified=False,
        codes=codes,
        notes="Codes and names are read at run time from pycountry, not transcribed; "
        "not checked against reference material, and the regions are derived (see "
        f"{REGIONS_FILE}).",
    )
