"""CTDC exchange mappings: legacy -> 2024 fields, CTDC 2024 -> Lantern codes, and back.

CTDC's 2024 schema merged legacy flags into composites (e.g. ``meansThreats`` = threats OR
threat of law enforcement OR uses children) to lower re-identification risk. Folding legacy
into 2024 is a logical OR; the reverse is impossible, so a composite positive is never
expanded into its parts. Unknown stays unknown: a legacy ``-99`` or blank is never a "no".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lantern.taxonomy.ages import age_group
from lantern.taxonomy.codes import code_list, read_data_file
from lantern.taxonomy.errors import TaxonomyDataError

MAPPING_FILE = "ctdc-mapping.yaml"
FLAG_LISTS = ("exploitation_forms", "control_methods", "isic_sections", "sex_exploitation_types")

_TRUE = frozenset({"1", "true", "yes"})
_FALSE = frozenset({"0", "false", "no"})


@dataclass(frozen=True)
class CtdcMapping:
    """The mapping file, parsed, with its provenance."""

    version: str
    source: str
    verified: bool
    fields_2024: tuple[str, ...]
    legacy_to_2024: dict[str, tuple[str, ...]]
    dropped_legacy: frozenset[str]
    legacy_missing: frozenset[str]
    to_lantern: dict[str, tuple[str, str]]  # 2024 field -> (code list, code id)

    @property
    def composites(self) -> frozenset[str]:
        """2024 fields fed by more than one legacy field."""
        return frozenset(f for f, parts in self.legacy_to_2024.items() if len(parts) > 1)


@dataclass(frozen=True)
class LanternCodes:
    """What a CTDC 2024 row says in Lantern codes; composites kept as their CTDC names."""

    exploitation_forms: frozenset[str]
    control_methods: frozenset[str]
    isic_sections: frozenset[str]
    sex_exploitation_types: frozenset[str]
    relationship_to_trafficker: frozenset[str]
    ctdc_composites: frozenset[str]  # positive composites, deliberately not expanded


def _parse(content: dict[str, Any]) -> CtdcMapping:
    fields_2024 = tuple(content.get("fields_2024") or ())
    legacy = {str(k): tuple(v) for k, v in (content.get("legacy_to_2024") or {}).items()}
    to_lantern: dict[str, tuple[str, str]] = {}
    for field_name, target in (content.get("to_lantern") or {}).items():
        if not isinstance(target, dict) or len(target) != 1:
            raise TaxonomyDataError(f"{MAPPING_FILE}: to_lantern.{field_name} needs one list: id")
        ((list_name, code_id),) = target.items()
        to_lantern[str(field_name)] = (str(list_name), str(code_id))
    mapping = CtdcMapping(
        version=str(content.get("version", "")),
        source=str(content.get("source", "")),
        verified=content.get("verified") is True,
        fields_2024=fields_2024,
        legacy_to_2024=legacy,
        dropped_legacy=frozenset(content.get("dropped_legacy") or ()),
        legacy_missing=frozenset(str(v) for v in content.get("legacy_missing") or ()),
        to_lantern=to_lantern,
    )
    unknown = (set(legacy) | set(to_lantern)) - set(fields_2024)
    if unknown:
        raise TaxonomyDataError(f"{MAPPING_FILE}: not 2024 fields: {sorted(unknown)}")
    expanded = mapping.composites & set(to_lantern)
    if expanded:
        raise TaxonomyDataError(
            f"{MAPPING_FILE}: composites must not map to one code: {sorted(expanded)}"
        )
    for list_name, code_id in to_lantern.values():
        code_list(list_name).get(code_id)  # raises UnknownCode for a stale id
    return mapping


@lru_cache(maxsize=1)
def mapping() -> CtdcMapping:
    """The shipped CTDC mapping."""
    return _parse(read_data_file(MAPPING_FILE))


def _flag(field_name: str, value: object, missing: frozenset[str]) -> bool | None:
    """Read one CTDC flag cell: True, False, or None for unknown / redacted."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None  # pandas' blank
        if value.is_integer():
            value = int(value)
    text = str(value).strip().casefold()
    if text in missing:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"CTDC field {field_name!r}: {value!r} is not a flag (1, 0 or blank)")


def legacy_to_2024(row: Mapping[str, object]) -> dict[str, int | None]:
    """Fold a legacy CTDC row's flags into the 2024 fields (1, 0, or None for unknown).

    A 2024 field is 1 if any legacy source is positive, 0 only if every source is present
    and negative, and None otherwise. Non-flag 2024 fields (gender, ages, countries) are left
    to the caller.
    """
    spec = mapping()
    result: dict[str, int | None] = {}
    for target, sources in spec.legacy_to_2024.items():
        values = [_flag(s, row.get(s), spec.legacy_missing) for s in sources]
        if any(v is True for v in values):
            result[target] = 1
        elif values and all(v is False for v in values):
            result[target] = 0
        else:
            result[target] = None
    return result


def ctdc_2024_to_lantern(row: Mapping[str, object]) -> LanternCodes:
    """Lantern codes a CTDC 2024 row asserts. Composites stay composite, never their parts."""
    spec = mapping()
    found: dict[str, set[str]] = {
        name: set() for name in (*FLAG_LISTS, "relationship_to_trafficker")
    }
    composites: set[str] = set()
    for field_name in spec.fields_2024:
        if field_name not in spec.legacy_to_2024:
            continue  # not a flag
        if _flag(field_name, row.get(field_name), spec.legacy_missing) is not True:
            continue
        if field_name in spec.to_lantern:
            list_name, code_id = spec.to_lantern[field_name]
            found[list_name].add(code_id)
        elif field_name in spec.composites:
            composites.add(field_name)
    return LanternCodes(
        exploitation_forms=frozenset(found["exploitation_forms"]),
        control_methods=frozenset(found["control_methods"]),
        isic_sections=frozenset(found["isic_sections"]),
        sex_exploitation_types=frozenset(found["sex_exploitation_types"]),
        relationship_to_trafficker=frozenset(found["relationship_to_trafficker"]),
        ctdc_composites=frozenset(composites),
    )


def ctdc_2024_flags(
    *,
    exploitation_forms: Iterable[str] = (),
    control_methods: Iterable[str] = (),
    isic_sections: Iterable[str] = (),
    sex_exploitation_types: Iterable[str] = (),
    relationship_to_trafficker: str | None = None,
) -> dict[str, int]:
    """CTDC 2024 flag fields set to 1 by a record's Lantern codes (CTDC writes 1 or blank).

    Raises UnknownCode for an id that is not in its list.
    """
    given = {
        "exploitation_forms": exploitation_forms,
        "control_methods": control_methods,
        "isic_sections": isic_sections,
        "sex_exploitation_types": sex_exploitation_types,
        "relationship_to_trafficker": [relationship_to_trafficker]
        if relationship_to_trafficker
        else [],
    }
    flags: dict[str, int] = {}
    for list_name, ids in given.items():
        codes = code_list(list_name)
        for code_id in ids:
            field_name = codes.get(code_id).ctdc
            if field_name is not None:
                flags[field_name] = 1
    return flags


def ctdc_gender(gender_id: str | None) -> str | None:
    """CTDC 2024 ``gender`` value for an HTCDS gender id; None (blank) when unknown."""
    return code_list("genders").get(gender_id).ctdc if gender_id else None


def ctdc_age_broad(years: int | None) -> str | None:
    """CTDC ``ageBroad`` band (e.g. ``9--17``) for an age in years; None when unknown."""
    band = age_group(years, scheme="ctdc")
    return code_list("age_groups").get(band).ctdc if band else None
