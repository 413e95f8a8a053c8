"""Validate one HTCDS-shaped row into a typed record, or say exactly what is wrong with it.

Blank always means unknown. Every problem is reported as (row, field, reason) and all problems
of a row are reported at once, so that a person can fix a file in one pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from lantern import taxonomy
from lantern.cases.importing.reasons import (
    REQUIRED_REASON,
    Reason,
    country_hint,
    nearest,
    not_one_of,
    quoted,
    unknown_code,
)
from lantern.taxonomy.errors import UnknownCode
from lantern.taxonomy.htcds import GUARDED

REQUIRED = ("agency", "source_record_id", "cas_RegistrationDate")
EVENT_TYPES = ("recruitment", "transit", "exploitation")
CROSSINGS = ("legal", "illegal")
HTCDS_STATUSES = ("Active", "FollowUp", "Closed", "ClosedReferred")
YEAR, MONTH, DAY = "year", "month", "day"
ADULT_AGE = 18
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.reason}"


@dataclass
class Record:
    """A valid row, in the model's terms."""

    row: int
    agency: str
    agency_type: str
    source_record_id: str
    registration_date: dt.date
    digest: str
    person: dict[str, Any] = field(default_factory=dict)
    case: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    exploitations: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    consents: dict[str, bool | None] = field(default_factory=dict)
    #: "person.given_name"-style fields its file left out (an export by a role that could not
    #: read them): an update keeps them as stored, never blanks them
    keep: frozenset[str] = frozenset()


def _blank(v: Any) -> bool:
    if type(v) is str:  # the common case first: an import calls this ~100 times a row
        return not v or v.isspace()
    return v is None or (isinstance(v, str) and v.strip() == "") or v != v  # NaN


#: Checked values, by (code list, value): a file repeats the same few codes in every row.
#: Each maps to the code's id, or to the error's message when the value is unknown.
_CHECKED: dict[tuple[str, str], tuple[str, str]] = {}
_CHECKED_MAX = 50_000


def _checked(list_name: str, value: str) -> tuple[str, str]:
    """(id, "") for a known ``value`` of ``list_name``, ("", message) for an unknown one."""
    found = _CHECKED.get((list_name, value))
    if found is None:
        try:
            found = (taxonomy.validate(list_name, value), "")
        except UnknownCode as exc:
            found = ("", unknown_code(exc))
        if len(_CHECKED) >= _CHECKED_MAX:  # a file of endless distinct values: start afresh
            _CHECKED.clear()
        _CHECKED[(list_name, value)] = found
    return found


_COUNTRIES: dict[str, str] = {}


def _alpha3(value: str) -> str:
    """The ISO alpha-3 code of a country code (any case, alpha-2 or alpha-3), cached; raises
    UnknownCode."""
    found = _COUNTRIES.get(value)
    if found is None:
        found = taxonomy.countries.country(value).alpha3
        if len(_COUNTRIES) < _CHECKED_MAX:
            _COUNTRIES[value] = found
    return found


def _text(v: Any) -> str:
    return "" if _blank(v) else str(v).strip()


class _Row:
    """Accumulates errors while reading one row's fields."""

    def __init__(self, n: int, data: dict[str, Any]) -> None:
        self.n, self.data = n, data
        self.errors: list[RowError] = []

    def err(self, name: str, reason: str) -> None:
        self.errors.append(RowError(self.n, name, reason))

    def text(self, name: str, max_len: int = 200) -> str:
        value = _text(self.data.get(name))
        if len(value) > max_len:
            self.err(name, Reason(gettext_noop("longer than %(limit)s characters"), limit=max_len))
            return ""
        return value

    def date(self, name: str, value: Any = None, label: str | None = None) -> dt.date | None:
        return self.dated(name, value, label)[0]

    def dated(
        self, name: str, value: Any = None, label: str | None = None
    ) -> tuple[dt.date | None, str]:
        """A date as the source gave it: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, stored as its
        first day, with its precision ("year", "month" or "day")."""
        raw = self.data.get(name) if value is None else value
        if _blank(raw):
            return None, DAY
        if isinstance(raw, dt.datetime):
            return raw.date(), DAY
        if isinstance(raw, dt.date):
            return raw, DAY
        found = partial_date(raw)
        if found is None:
            self.err(
                label or name,
                Reason(
                    gettext_noop("%(value)s is not a date (YYYY, YYYY-MM, YYYY-MM-DD)"),
                    value=quoted(raw),
                ),
            )
            return None, DAY
        return found

    def integer(self, name: str, lo: int = 0, hi: int = 120) -> int | None:
        raw = self.data.get(name)
        if _blank(raw):
            return None
        try:
            f = float(str(raw).strip())
        except ValueError:
            self.err(name, Reason(gettext_noop("%(value)s is not a number"), value=quoted(raw)))
            return None
        if f != int(f) or not lo <= f <= hi:
            self.err(
                name,
                Reason(
                    gettext_noop("%(value)s is not a whole number from %(low)s to %(high)s"),
                    value=quoted(raw),
                    low=lo,
                    high=hi,
                ),
            )
            return None
        return int(f)

    def flag(self, name: str) -> bool | None:
        raw = self.data.get(name)
        if _blank(raw):
            return None
        if isinstance(raw, bool):
            return raw
        s = str(raw).strip().lower()
        if s in ("yes", "y", "true", "1"):
            return True
        if s in ("no", "n", "false", "0"):
            return False
        self.err(name, Reason(gettext_noop("%(value)s is not yes, no or blank"), value=quoted(raw)))
        return None

    def code(self, name: str, list_name: str, value: Any = None, label: str | None = None) -> str:
        raw = self.data.get(name) if value is None else value
        if _blank(raw):
            return ""
        code, problem = _checked(list_name, str(raw).strip())
        if problem:
            self.err(label or name, problem)
        return code

    def codes(self, name: str, list_name: str) -> list[str]:
        raw = self.data.get(name)
        if _blank(raw):
            return []
        items = raw if isinstance(raw, list) else str(raw).split(";")
        out = []
        for item in items:
            if not _blank(item):
                c = self.code(name, list_name, value=item)
                if c and c not in out:
                    out.append(c)
        return out

    def country(self, name: str, value: Any = None, label: str | None = None) -> str:
        raw = self.data.get(name) if value is None else value
        if _blank(raw):
            return ""
        try:
            return _alpha3(str(raw).strip())
        except UnknownCode as exc:
            hint = country_hint(str(raw), exc.suggestions)
            self.err(
                label or name,
                Reason(
                    gettext_noop("%(value)s is not an ISO 3166-1 country code%(hint)s"),
                    value=quoted(raw),
                    hint=hint,
                ),
            )
            return ""

    def json_list(self, name: str) -> list[Any]:
        raw = self.data.get(name)
        if _blank(raw):
            return []
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except json.JSONDecodeError as exc:
                self.err(
                    name,
                    Reason(
                        gettext_noop("not valid JSON (%(problem)s at character %(position)s)"),
                        problem=exc.msg,
                        position=exc.pos,
                    ),
                )
                return []
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            self.err(name, Reason(gettext_noop("expected a JSON list of objects")))
            return []
        return raw


def _digest(data: dict[str, Any]) -> str:
    clean = {
        k: (None if (not v or v.isspace()) else v) if type(v) is str else (None if _blank(v) else v)
        for k, v in data.items()
    }
    body = json.dumps(clean, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def parse_row(n: int, data: dict[str, Any]) -> Record | list[RowError]:
    r = _Row(n, data)
    if "__not_an_object__" in data:
        found = data["__not_an_object__"]
        return [
            RowError(
                n, "(row)", Reason(gettext_noop("expected an object, found %(found)s"), found=found)
            )
        ]
    if data.get("__extra_cells__"):
        r.err("(row)", Reason(gettext_noop("more cells than header columns")))
    for name in REQUIRED:
        if _blank(data.get(name)):
            r.err(name, REQUIRED_REASON)
    agency = r.text("agency", 64)
    source_id = r.text("source_record_id", 100)
    reg, reg_precision = r.dated("cas_RegistrationDate")
    if reg is not None and reg > dt.date.today():
        r.err(
            "cas_RegistrationDate",
            Reason(gettext_noop("%(date)s is in the future"), date=reg.isoformat()),
        )
    agency_type = r.code("agency_type", "agency_types")

    birthdate = r.date("prs_Birthdate")
    if birthdate and reg and birthdate > reg:
        r.err("prs_Birthdate", Reason(gettext_noop("after the registration date")))
    status = r.text("cas_Status", 20)
    if status and status not in HTCDS_STATUSES:
        r.err(
            "cas_Status",
            not_one_of(status, HTCDS_STATUSES),
        )
    citizenship = [
        c
        for c in (
            r.country("prs_Citizenship", value=v) for v in _split(data.get("prs_Citizenship"))
        )
        if c
    ]
    stated_age = r.integer("ext_StatedAge", 0, 120)
    age_min = r.integer("ext_AgeMin", 0, 120)
    age_max = r.integer("ext_AgeMax", 0, 120)
    is_minor = r.flag("ext_IsMinor")
    age_evidence = r.code("ext_AgeEvidence", "age_evidence")
    documented_age = r.integer("ext_DocumentedAge", 0, 120)
    age_recruited = r.integer("vic_AgeWhenTrafficked", 0, 120)
    forms = r.codes("vic_TypeOfExploitation", "exploitation_forms")
    # Checked, not yet kept: the case has no field of its own for it (the episodes' ISIC is).
    r.codes("vic_ForcedLabourIndustry", "isic_sections")

    events = []
    for i, ev in enumerate(r.json_list("hte_Events"), start=1):
        label = f"hte_Events[{i}]"
        etype = str(ev.get("type") or "")
        if etype not in EVENT_TYPES:
            r.err(
                f"{label}.type",
                not_one_of(etype, EVENT_TYPES),
            )
        crossing = _text(ev.get("crossing"))
        if crossing and crossing not in CROSSINGS:
            r.err(
                f"{label}.crossing",
                Reason(
                    gettext_noop("%(value)s is not legal, illegal or blank%(hint)s"),
                    value=repr(crossing),
                    hint=nearest(crossing, CROSSINGS),
                ),
            )
        events.append(
            {
                "seq": i,
                "type": etype,
                "date": r.date("", value=ev.get("date"), label=f"{label}.date"),
                "country": r.country("", value=ev.get("country"), label=f"{label}.country"),
                "state": _text(ev.get("state"))[:100],
                "city": _text(ev.get("city"))[:100],
                "transport": r.code(
                    "", "transport_modes", value=ev.get("transport"), label=f"{label}.transport"
                ),
                "crossing": crossing,
            }
        )
    exploitations = []
    for i, ex in enumerate(r.json_list("ext_Exploitations"), start=1):
        label = f"ext_Exploitations[{i}]"
        form = r.code("", "exploitation_forms", value=ex.get("form"), label=f"{label}.form")
        if not form:
            r.err(f"{label}.form", REQUIRED_REASON)
        isic = _text(ex.get("isic")).upper()
        if isic:
            isic = r.code("", "isic_sections", value=isic, label=f"{label}.isic")[:1]
        exploitations.append(
            {
                "seq": i,
                "form": form,
                "isic_section": isic,
                "start": r.date("", value=ex.get("start"), label=f"{label}.start"),
                "end": r.date("", value=ex.get("end"), label=f"{label}.end"),
                "country": r.country("", value=ex.get("country"), label=f"{label}.country"),
            }
        )
    actors = []
    for i, ac in enumerate(r.json_list("per_Actors"), start=1):
        label = f"per_Actors[{i}]"
        ref = _text(ac.get("ref"))[:100]
        if not ref:
            r.err(f"{label}.ref", REQUIRED_REASON)
        actors.append(
            {
                "ref": ref,
                "network_ref": _text(ac.get("network_ref"))[:100],
                "role": r.code("", "actor_roles", value=ac.get("role"), label=f"{label}.role"),
                "relationship": r.code(
                    "",
                    "relationship_to_trafficker",
                    value=ac.get("relationship"),
                    label=f"{label}.relationship",
                ),
            }
        )
    person = {
        "given_name": r.text("prs_FirstName"),
        "family_name": r.text("prs_SecondName"),
        "nickname": r.text("ext_Nickname"),
        "name_script": r.text("ext_NameScript", 4),
        "birthdate": birthdate,
        "birthdate_estimated": r.flag("ext_BirthdateEstimated"),
        "identity_number": r.text("prs_IdentityNumber", 64),
        "home_city": r.text("prs_MailingCity", 100),
        "address": " ".join(
            p for p in (r.text("prs_MailingStreet"), r.text("prs_MailingPostalCode", 20)) if p
        ),
        "home_state": r.text("prs_MailingState", 100),
        "home_country": r.country("prs_MailingCountry"),
        "gender": r.code("prs_Gender", "genders"),
        "citizenship": citizenship,
        "primary_language": r.text("prs_PrimaryLanguage", 8),
    }
    age_at_id = stated_age
    if age_at_id is None and birthdate and reg:
        age_at_id = _age(birthdate, reg)
    age_min, age_max = _age_as_given(r, age_at_id, age_min, age_max, is_minor)
    may_be_child = age_min is None or age_min < ADULT_AGE
    may_be_adult = age_max is None or age_max >= ADULT_AGE
    if age_evidence == "" and may_be_child and may_be_adult:
        # Age in doubt across 18 (nothing known, or a band across it): presume a child
        # (standards.md 4.3). A known adult, even of unknown exact age, never is.
        age_evidence = "presumed_minor"
    trafficking_status = r.code("vic_TraffickingStatus", "trafficking_statuses")
    case = {
        "registration_date": reg,
        "registration_date_precision": reg_precision,
        "intake_channel": r.code("cas_IntakeChannel", "intake_channels"),
        "status": status or "Active",
        "outcome": r.code("cas_Outcome", "case_outcomes"),
        "trafficking_status": trafficking_status,
        "trafficking_status_decided_by": r.code(
            "vic_TraffickingStatusDecisionMakingOrg", "decision_orgs"
        ),
        # "Actual" in an agency's file is the agency's own determination: kept, from the import.
        "trafficking_determination_source": "import"
        if trafficking_status == "ActualVictimOfTrafficking"
        else "",
        "relationship_to_trafficker": r.code(
            "vic_RelationshipToTrafficker", "relationship_to_trafficker"
        ),
        "age_evidence": age_evidence,
        "age_at_identification": age_at_id,
        "age_at_recruitment": age_recruited,
        "age_at_exploitation": _first_exploitation_age(exploitations, birthdate, age_at_id, reg),
        "documented_age": documented_age,
        "age_min": age_min,
        "age_max": age_max,
        "age_group": taxonomy.age_group_of_range(age_min, age_max) or "",
        "gender": person["gender"],
        "citizenship": citizenship[0] if citizenship else "",
        "method_of_recruitment": r.code("vic_MethodOfRecruitment", "recruitment_methods"),
        "methods_of_control": r.codes("vic_MethodsOfControl", "control_methods"),
        "forms_of_exploitation": forms,
        "primary_form": (
            exploitations[0]["form"] if exploitations else (forms[0] if forms else "")
        ),
        "sex_exploitation_types": r.codes("vic_TypeOfSexExploitation", "sex_exploitation_types"),
        "vulnerabilities": r.codes("ext_Vulnerabilities", "vulnerability_factors"),
        "smuggled": r.flag("ext_Smuggled"),
    }
    consents = {
        "data_processing": r.flag("con_Consent"),
        "family_tracing": r.flag("con_TracingConsent"),
    }
    if r.errors:
        return r.errors
    assert reg is not None
    return Record(
        row=n,
        agency=agency,
        agency_type=agency_type,
        source_record_id=source_id,
        registration_date=reg,
        digest=_digest(data),
        person=person,
        case=case,
        events=events,
        exploitations=exploitations,
        actors=actors,
        consents=consents,
        keep=_kept(data.get(LEFT_OUT)),
    )


#: The row key that carries an export's ``metadata.fields_left_out`` (record field names).
LEFT_OUT = "__left_out__"
#: A left-out field's companions, derived from it and kept with it.
_DERIVED = {
    "person.identity_number": ("person.identity_number_index",),
    "person.birthdate": ("person.birthdate_estimated",),
}


def _kept(left_out: Any) -> frozenset[str]:
    """The model fields an export's ``fields_left_out`` names (record field names)."""
    if not left_out:
        return frozenset()
    named = {record: model for record, model in GUARDED}
    fields = [named[n] for n in left_out if n in named]
    return frozenset(fields + [d for f in fields for d in _DERIVED.get(f, ())])


def _split(v: Any) -> list[Any]:
    if _blank(v):
        return []
    return v if isinstance(v, list) else str(v).split(";")


def partial_date(raw: Any) -> tuple[dt.date, str] | None:
    """``YYYY``, ``YYYY-MM`` or an ISO date (its first ten characters) as (first day,
    precision); None when it is none of these."""
    text = str(raw).strip()
    match = _PARTIAL_DATE.match(text)
    try:
        if match is None:
            return dt.date.fromisoformat(text[:10]), DAY
        year, month = int(match[1]), match[2]
        if month is None:
            return dt.date(year, 1, 1), YEAR
        return dt.date(year, int(month), 1), MONTH
    except ValueError:
        return None


def _age_as_given(
    r: _Row, exact: int | None, low: int | None, high: int | None, is_minor: bool | None
) -> tuple[int | None, int | None]:
    """The age at identification as the source knows it, as (min, max) inclusive years: an
    exact age is its own band; else ``ext_AgeMin``/``ext_AgeMax`` (either may be open); else
    only adult (18, None) or minor (0, 17). Sources that disagree are the row's error."""
    if low is not None and high is not None and low > high:
        r.err(
            "ext_AgeMax",
            Reason(gettext_noop("%(high)s is below ext_AgeMin %(low)s"), high=high, low=low),
        )
        return None, None
    if is_minor is not None:
        if is_minor and low is not None and low >= ADULT_AGE:
            r.err(
                "ext_IsMinor", Reason(gettext_noop("a minor, but ext_AgeMin is %(low)s"), low=low)
            )
        if is_minor is False and high is not None and high < ADULT_AGE:
            r.err(
                "ext_IsMinor",
                Reason(gettext_noop("an adult, but ext_AgeMax is %(high)s"), high=high),
            )
        if is_minor:
            low = 0 if low is None else low
            high = ADULT_AGE - 1 if high is None else min(high, ADULT_AGE - 1)
        else:
            low = ADULT_AGE if low is None else max(low, ADULT_AGE)
    if exact is not None:
        if (low is not None and exact < low) or (high is not None and exact > high):
            shown = f"{low if low is not None else ''}-{high if high is not None else ''}"
            r.err(
                "ext_StatedAge",
                Reason(
                    gettext_noop("%(age)s is outside the age band given (%(band)s)"),
                    age=exact,
                    band=shown,
                ),
            )
        return exact, exact
    return low, high


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _first_exploitation_age(
    exps: list[dict[str, Any]], born: dt.date | None, age_at_id: int | None, reg: dt.date | None
) -> int | None:
    start = next((e["start"] for e in exps if e["start"]), None)
    if start is None:
        return None
    if born:
        return _age(born, start)
    if age_at_id is not None and reg:
        return max(age_at_id - (reg - start).days // 365, 0)
    return None
