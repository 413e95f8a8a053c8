"""Code lists: versioned YAML files read into frozen, typed values.

Every coded field of the agency record format (docs/record-format.md) names one of these lists.
Keeping the lists as data with a `source` and a `verified` flag lets a reviewer check a list
against its standard (HTCDS 2.0, Palermo art. 3, ILO C182 art. 3, ISIC Rev.4, the ILO-IPEC
report) without reading Python, and lets a change of standard be a data change.

A file ``data/<name>.yaml`` whose name has no hyphen is a code list; hyphenated files
(``ilo-indicators.yaml``, ``ctdc-mapping.yaml``, ``unodc-regions.yaml``) are other reference
data. ``countries`` is a virtual list built from pycountry at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from lantern.taxonomy.errors import TaxonomyDataError, UnknownCode

# The languages of Lantern: every code carries a label in each, and the interface offers
# exactly these (``settings.LANGUAGES`` derives from this tuple).
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
C182_CLAUSES = frozenset({"a", "b", "c", "d"})
COUNTRIES = "countries"

_LIST_FILE = re.compile(r"^[a-z][a-z0-9_]*\.yaml$")
_OPTIONAL_KEYS = ("htcds", "ctdc", "parent", "description", "c182", "decision_org")
_CODE_KEYS = frozenset({"id", *LANGUAGES, *_OPTIONAL_KEYS})
_LIST_KEYS = frozenset({"version", "source", "verified", "codes", "notes"})


def supported_language(lang: str | None) -> str:
    """The language of ``LANGUAGES`` closest to ``lang`` (``fr-ca`` -> ``fr``); else English."""
    short = (lang or "en").lower()[:2]
    return short if short in LANGUAGES else "en"


@dataclass(frozen=True)
class Code:
    """One code: a stable id, its labels, and how it maps to the exchange standards."""

    id: str
    en: str
    fr: str
    es: str
    htcds: str | None = None  # the HTCDS 2.0 value this code maps to, if any
    ctdc: str | None = None  # CTDC 2024 field a positive sets (genders, age_groups: the value)
    parent: str | None = None  # id of a broader code in the same list
    description: str | None = None
    c182: str | None = None  # ILO C182 art. 3 clause (a/b/c/d) for the worst forms
    # agency_types: the HTCDS deciding organisation (a decision_orgs id) its decisions record
    decision_org: str | None = None

    def label(self, lang: str = "en") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
        label: str = getattr(self, lang)
        return label


@dataclass(frozen=True)
class CodeList:
    """A named, versioned list of codes with its citation and verification status."""

    name: str
    version: str
    source: str
    verified: bool
    codes: tuple[Code, ...]
    notes: str | None = None
    _by_id: dict[str, Code] = field(init=False, repr=False, compare=False)
    _by_alias: dict[str, Code] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Code] = {}
        by_alias: dict[str, Code] = {}
        for code in self.codes:
            if code.id in by_id:
                raise TaxonomyDataError(f"{self.name}: duplicate id {code.id!r}")
            by_id[code.id] = code
        for code in self.codes:
            if code.parent is not None and code.parent not in by_id:
                raise TaxonomyDataError(
                    f"{self.name}: {code.id!r} has unknown parent {code.parent!r}"
                )
            for alias in {code.id, code.htcds}:
                if alias is None:
                    continue
                folded = alias.casefold()
                if by_alias.get(folded, code) is not code:
                    raise TaxonomyDataError(f"{self.name}: alias {alias!r} names two codes")
                by_alias[folded] = code
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_alias", by_alias)

    def ids(self) -> tuple[str, ...]:
        return tuple(code.id for code in self.codes)

    def get(self, code_id: str) -> Code:
        """The code with exactly this id; raises UnknownCode (never returns None)."""
        try:
            return self._by_id[code_id]
        except (KeyError, TypeError):
            raise UnknownCode(self.name, code_id, self.ids()) from None

    def resolve(self, value: str) -> Code:
        """The code a user-supplied value means: its id or HTCDS value, any case, trimmed."""
        if not isinstance(value, str):
            raise UnknownCode(self.name, value, self.ids())
        code = self._by_alias.get(value.strip().casefold())
        if code is None:
            raise UnknownCode(self.name, value, self.ids())
        return code

    def label(self, code_id: str, lang: str = "en") -> str:
        return self.get(code_id).label(lang)

    def choices(self, lang: str = "en") -> list[tuple[str, str]]:
        """(id, label) pairs in file order, the shape Django form choices take."""
        return [(code.id, code.label(lang)) for code in self.codes]

    def __contains__(self, code_id: object) -> bool:
        return isinstance(code_id, str) and code_id in self._by_id

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


def _data_dir() -> Any:
    return resources.files("lantern.taxonomy").joinpath("data")


def read_data_file(filename: str) -> dict[str, Any]:
    """Parse one YAML file of the data folder into a mapping, or fail naming the file."""
    try:
        text = _data_dir().joinpath(filename).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxonomyDataError(f"missing taxonomy data file {filename}") from None
    content = yaml.safe_load(text)
    if not isinstance(content, dict):
        raise TaxonomyDataError(f"{filename}: expected a mapping at top level")
    return content


def _text(where: str, key: str, value: object, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyDataError(f"{where}: {key!r} must be non-empty text, got {value!r}")
    return value


def _parse_code(list_name: str, raw: object) -> Code:
    if not isinstance(raw, dict):
        raise TaxonomyDataError(f"{list_name}: each code must be a mapping, got {raw!r}")
    where = f"{list_name}: code {raw.get('id')!r}"
    unknown = set(raw) - _CODE_KEYS
    if unknown:
        raise TaxonomyDataError(f"{where}: unknown keys {sorted(unknown)}")
    required = {key: _text(where, key, raw.get(key), required=True) for key in ("id", *LANGUAGES)}
    optional = {key: _text(where, key, raw.get(key), required=False) for key in _OPTIONAL_KEYS}
    if optional["c182"] is not None and optional["c182"] not in C182_CLAUSES:
        raise TaxonomyDataError(f"{where}: c182 must be one of a, b, c, d")
    return Code(**required, **optional)  # type: ignore[arg-type]


def parse_code_list(name: str, content: dict[str, Any]) -> CodeList:
    """Build a CodeList from a parsed file, checking its schema."""
    unknown = set(content) - _LIST_KEYS
    if unknown:
        raise TaxonomyDataError(f"{name}: unknown top-level keys {sorted(unknown)}")
    verified = content.get("verified")
    if not isinstance(verified, bool):
        raise TaxonomyDataError(f"{name}: 'verified' must be true or false")
    raw_codes = content.get("codes")
    if not isinstance(raw_codes, list) or not raw_codes:
        raise TaxonomyDataError(f"{name}: 'codes' must be a non-empty list")
    return CodeList(
        name=name,
        version=str(_text(name, "version", content.get("version"), required=True)),
        source=str(_text(name, "source", content.get("source"), required=True)),
        verified=verified,
        codes=tuple(_parse_code(name, raw) for raw in raw_codes),
        notes=_text(name, "notes", content.get("notes"), required=False),
    )


@lru_cache(maxsize=1)
def _list_names() -> tuple[str, ...]:
    stems = [
        entry.name.removesuffix(".yaml")
        for entry in _data_dir().iterdir()
        if _LIST_FILE.match(entry.name)
    ]
    return tuple(sorted([*stems, COUNTRIES]))


def list_names() -> list[str]:
    """Names of every code list, including the virtual ``countries`` list."""
    return list(_list_names())


@lru_cache(maxsize=64)
def code_list(name: str) -> CodeList:
    """The code list called ``name``; raises UnknownCode naming the close list names."""
    if name == COUNTRIES:
        from lantern.taxonomy.countries import country_code_list

        return country_code_list()
    if name not in _list_names():
        raise UnknownCode("code lists", name, _list_names())
    return parse_code_list(name, read_data_file(f"{name}.yaml"))


def validate(name: str, value: str) -> str:
    """The canonical id for ``value`` in list ``name`` (accepts HTCDS values, any case)."""
    return code_list(name).resolve(value).id
