"""CTDC's victim files (legacy k-anonymised 2017-2021 and the 2024 synthetic schema) as
Lantern rows.

The schema is told by the header: the 2024 composites (``meansThreats``...) or the legacy
flags (``meansOfControlThreats``, ``Datasource``...). Each row becomes one HTCDS-shaped row of
the one import path (docs/ctdc-mapping.md lists every field and every uncertain point):

- ``-99`` and blank are unknown, never "no"; ``00``/``0`` is an unknown country; ``NA`` is
  Namibia (the file is read as text, never through a reader that turns ``NA`` into a gap).
- ``yearOfRegistration`` is a year-only registration date; ``ageBroad`` a band, ``majorityStatus``
  only adult or minor (``ext_AgeMin``/``ext_AgeMax``/``ext_IsMinor``).
- A CTDC row has no id: ``source_record_id`` is ``ctdc-`` and a hash of the row number and the
  row's cells (see ``record_id``), stable when the same file is imported again.
- A column that is in neither schema is the row's error, naming the nearest known column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from lantern.cases.importing.reasons import REQUIRED_REASON, Reason, nearest
from lantern.cases.importing.rows import RowError, _Row
from lantern.cases.importing.sources import Numbered, SourceContext, Translated
from lantern.taxonomy import countries
from lantern.taxonomy.ctdc import ctdc_2024_to_lantern, mapping
from lantern.taxonomy.errors import UnknownCode

MISSING = frozenset({"", "-99"})
UNKNOWN_COUNTRY = frozenset({"00", "0"})
GENDERS = {
    "female": "Feminine",
    "woman": "Feminine",
    "male": "Masculine",
    "man": "Masculine",
    "trans/transgender/nonconforming": "NonConforming",
}
AGE_BANDS = {
    "0--8": (0, 8),
    "9--17": (9, 17),
    "18--20": (18, 20),
    "21--23": (21, 23),
    "24--26": (24, 26),
    "27--29": (27, 29),
    "30--38": (30, 38),
    "39--47": (39, 47),
    "48+": (48, None),
}
MAJORITY = {"minor": True, "adult": False}
DATASOURCE_CHANNELS = {"hotline": "hotline", "case management": ""}

# Legacy flags -> Lantern codes (form of exploitation, means of control, sectors).
LEGACY_FORMS = {
    "isForcedLabour": ("forced_labour",),
    "isSexualExploit": ("sexual_exploitation",),
    "isSexAndLabour": ("sexual_exploitation", "forced_labour"),
    "isForcedMarriage": ("forced_marriage",),
    "isForcedMilitary": ("armed_conflict",),
    "isOrganRemoval": ("organ_removal",),
    "isSlaveryAndPractices": ("slavery_like_practices",),
    "isOtherExploit": ("other",),
    "typeOfLabourBegging": ("forced_begging",),
    "typeOfLabourIllicitActivities": ("forced_criminality",),
}
LEGACY_CONTROL = {
    "meansOfControlDebtBondage": "DebtBondage",
    "meansOfControlTakesEarnings": "TakesEarnings",
    "meansOfControlRestrictsFinancialAccess": "RestrictsFinancialAccess",
    "meansOfControlThreats": "PhysicalThreats",
    "meansOfControlPsychologicalAbuse": "PsychologicalAbuse",
    "meansOfControlPhysicalAbuse": "PhysicalAbuse",
    "meansOfControlSexualAbuse": "SexualAbuse",
    "meansOfControlFalsePromises": "FalsePromises",
    "meansOfControlPsychoactiveSubstances": "PsychoactiveSubstance",
    "meansOfControlRestrictsMovement": "Other",
    "meansOfControlRestrictsMedicalCare": "RestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours": "ExcessiveWorkingHours",
    "meansOfControlUsesChildren": "ThreatensChildrenFamily",
    "meansOfControlThreatOfLawEnforcement": "ThreatsLawEnforcement",
    "meansOfControlWithholdsNecessities": "WithholdsNecessities",
    "meansOfControlWithholdsDocuments": "WithholdsDocuments",
    "meansOfControlOther": "Other",
}
LEGACY_SECTORS = {
    "typeOfLabourAgriculture": "A",
    "typeOfLabourAquafarming": "A",
    "typeOfLabourConstruction": "F",
    "typeOfLabourDomesticWork": "T",
    "typeOfLabourHospitality": "I",
    "typeOfLabourManufacturing": "C",
    "typeOfLabourMiningOrDrilling": "B",
    "typeOfLabourPeddling": "G",
    "typeOfLabourTransportation": "H",
}
LEGACY_SEX = {
    "typeOfSexProstitution": "Prostitution",
    "typeOfSexPornography": "Pornography",
    "typeOfSexRemoteInteractiveServices": "RemoteInteractiveServices",
    "typeOfSexPrivateSexualServices": "PrivateSexualServices",
}
# Recruiter relationship, closest first: Familial is kept over Acquainted when both are set.
RELATIONS = (
    ("recruiterRelationFamily", "Familial"),
    ("recruiterRelationIntimatePartner", "Acquainted"),
    ("recruiterRelationFriend", "Acquainted"),
)
# Read, but with nowhere in Lantern to go (docs/ctdc-mapping.md says why).
NOT_CARRIED = (
    "majorityStatusAtExploit",
    "majorityEntry",
    "meansOfControlNotSpecified",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
    "traffickMonths",
    "isAbroad",
)
COMMON = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation")
LEGACY = (
    *COMMON,
    "Datasource",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    *LEGACY_CONTROL,
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    *(f for f in LEGACY_FORMS if f.startswith("is")),
    "typeOfExploitConcatenated",
    *LEGACY_SECTORS,
    "typeOfLabourBegging",
    "typeOfLabourIllicitActivities",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    *LEGACY_SEX,
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
    "isAbroad",
)
SCHEMA_2024 = (*mapping().fields_2024, "majorityStatus", "isAbroad")
#: The first column of CTDC's CSV is an unnamed row index headed by the terms-of-use sentence.
INDEX_HEADERS = ("", "Unnamed: 0")
TERMS_PREFIX = "By using this data"


def ctdc(rows: Iterator[Numbered], context: SourceContext) -> Iterator[Translated]:
    """CTDC rows (either schema) as Lantern rows, or the row's errors."""
    agency = context.agency or context.user_agency
    schema: tuple[str, ...] | None = None
    for n, data in rows:
        if schema is None:
            schema = LEGACY if is_legacy(data) else SCHEMA_2024
        yield n, translate(n, data, schema, agency)


def is_legacy(row: dict[str, Any]) -> bool:
    """Whether a row's columns are the legacy schema's (its flags) rather than 2024's."""
    legacy_only = {
        "Datasource",
        "meansOfControlThreats",
        "isForcedMarriage",
        "typeOfSexConcatenated",
    }
    new_only = {"meansThreats", "meansAbusePsyPhySex", "sectorOfLabourAgriculture"}
    keys = set(row)
    return len(keys & legacy_only) >= len(keys & new_only)


def record_id(n: int, data: dict[str, Any]) -> str:
    """A stable id for a row that has none: the row number and the row's cells, hashed.

    The row number is part of it because a k-anonymised file holds many identical rows, each
    a different person; the cells are part of it so that a different file's row 12 is not
    taken for this one. Importing the same file again finds the same ids (nothing changes);
    a file re-sorted or with rows inserted gives new ids (docs/ctdc-mapping.md)."""
    body = json.dumps(
        {"row": n, "cells": {k: _cell(v) for k, v in data.items()}},
        sort_keys=True,
        ensure_ascii=False,
    )
    return "ctdc-" + hashlib.sha256(body.encode()).hexdigest()[:24]


def _cell(value: Any) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_index(name: str) -> bool:
    return name in INDEX_HEADERS or name.startswith(TERMS_PREFIX)


class _Reader(_Row):
    """A CTDC row read as ``rows`` reads one (its errors, one per cell), in CTDC's terms: ``-99``
    is missing, ``00`` an unknown country, and a flag is 1 or 0."""

    def value(self, name: str) -> str:
        """The cell as text; "" for missing (``-99``, blank, absent)."""
        text = _cell(self.data.get(name))
        return "" if text in MISSING else text

    def flag(self, name: str) -> bool | None:
        text = self.value(name).casefold()
        if text in ("", "nan"):
            return None
        if text in ("1", "true", "yes"):
            return True
        if text in ("0", "false", "no"):
            return False
        self.err(
            name,
            Reason(
                gettext_noop("%(value)s is not a flag (1, 0, -99 or blank)"), value=repr(text[:20])
            ),
        )
        return None

    def country_cell(self, name: str) -> str:
        """A country code; ``00``/``0`` (and missing) are unknown, never an error."""
        text = self.value(name)
        if text in UNKNOWN_COUNTRY or text == "":
            return ""
        try:
            return countries.country(text).alpha3
        except UnknownCode:
            self.err(
                name,
                Reason(
                    gettext_noop("%(value)s is not an ISO 3166-1 country code"),
                    value=repr(text[:20]),
                ),
            )
            return ""

    def choice(self, name: str, known: dict[str, Any]) -> Any:
        text = self.value(name)
        if not text:
            return None
        if text.casefold() not in known:
            self.err(
                name,
                Reason(
                    gettext_noop("%(value)s is not one of %(choices)s"),
                    value=repr(text[:30]),
                    choices=", ".join(sorted(known)),
                ),
            )
            return None
        return known[text.casefold()]


def translate(
    n: int, data: dict[str, Any], schema: tuple[str, ...], agency: str | None
) -> dict[str, Any] | list[RowError]:
    """One CTDC row as a Lantern row, or every error found in it."""
    r = _Reader(n, data)
    known = set(schema)
    for name in data:
        if name.startswith("__"):
            continue  # the reader's own marks (e.g. extra cells), reported by rows.parse_row
        if name not in known and not _is_index(name):
            r.err(
                name,
                Reason(gettext_noop("unknown column%(hint)s"), hint=nearest(name, sorted(known))),
            )
    if not agency:
        r.err(
            "agency",
            Reason(
                gettext_noop("required: a CTDC file has no agency column; name one with --agency")
            ),
        )
    band = r.choice("ageBroad", {k.casefold(): v for k, v in AGE_BANDS.items()})
    is_minor = r.choice("majorityStatus", MAJORITY)
    year = r.value("yearOfRegistration")
    if not year:
        r.err("yearOfRegistration", REQUIRED_REASON)
    elif not (year.isdigit() and len(year) == 4):
        r.err(
            "yearOfRegistration",
            Reason(gettext_noop("%(value)s is not a year (YYYY)"), value=repr(year[:20])),
        )
    citizenship = r.country_cell("citizenship")
    exploited_in = r.country_cell("CountryOfExploitation")
    forms, controls, sectors, sex_types, relation, recruitment = (
        _legacy(r) if schema is LEGACY else _new(r)
    )
    row: dict[str, Any] = {
        "agency": agency or "",
        "source_record_id": record_id(n, data),
        "cas_RegistrationDate": year,
        "cas_IntakeChannel": r.choice("Datasource", DATASOURCE_CHANNELS) or "",
        "prs_Gender": r.choice("gender", GENDERS) or "",
        "ext_AgeMin": band[0] if band else "",
        "ext_AgeMax": band[1] if band and band[1] is not None else "",
        "ext_IsMinor": "" if is_minor is None else ("yes" if is_minor else "no"),
        "prs_Citizenship": citizenship,
        "vic_TypeOfExploitation": ";".join(forms),
        "vic_MethodsOfControl": ";".join(controls),
        "vic_TypeOfSexExploitation": ";".join(sex_types),
        "vic_RelationshipToTrafficker": relation,
        "vic_MethodOfRecruitment": recruitment,
        "hte_Events": [{"type": "exploitation", "country": exploited_in}] if exploited_in else [],
        "ext_Exploitations": [
            {"form": "forced_labour", "isic": s, "country": exploited_in or None} for s in sectors
        ],
    }
    if r.errors:
        return r.errors
    return row


Found = tuple[list[str], list[str], list[str], list[str], str, str]


def _positive(r: _Reader, names: Any) -> list[str]:
    return [name for name in names if r.flag(name) is True]


def _legacy(r: _Reader) -> Found:
    forms: list[str] = []
    for name in _positive(r, LEGACY_FORMS):
        forms += [f for f in LEGACY_FORMS[name] if f not in forms]
    controls = sorted({LEGACY_CONTROL[name] for name in _positive(r, LEGACY_CONTROL)})
    sectors = sorted({LEGACY_SECTORS[name] for name in _positive(r, LEGACY_SECTORS)})
    if sectors and "forced_labour" not in forms:
        forms.append("forced_labour")
    sex_types = [LEGACY_SEX[name] for name in _positive(r, LEGACY_SEX)]
    relation = next((code for name, code in RELATIONS if r.flag(name) is True), "")
    for name in ("recruiterRelationOther", "recruiterRelationUnknown", "typeOfLabourOther"):
        r.flag(name)  # checked, not carried (docs/ctdc-mapping.md)
    return (forms, controls, sectors, sex_types, relation, _abduction(r))


def _new(r: _Reader) -> Found:
    spec = mapping()
    for name in spec.legacy_to_2024:
        r.flag(name)  # every flag checked, so a bad cell is the row's error
    if r.errors:
        return ([], [], [], [], "", "")
    codes = ctdc_2024_to_lantern({k: r.value(k) for k in spec.fields_2024})
    forms = sorted(codes.exploitation_forms)
    if r.flag("isOtherExploit") is True:
        forms.append("other")  # a composite of the other forms: Lantern's "other", no guess
    sectors = sorted(codes.isic_sections)
    if sectors and "forced_labour" not in forms:
        forms.append("forced_labour")
    relations = codes.relationship_to_trafficker
    relation = next((code for _n, code in RELATIONS if code in relations), "")
    return (
        forms,
        sorted(codes.control_methods),
        sectors,
        sorted(codes.sex_exploitation_types),
        relation,
        "",
    )


def _abduction(r: _Reader) -> str:
    return "Abduction" if r.flag("isAbduction") is True else ""
