"""Intake: one entry, ``open_case``, for every channel, each asking only what that channel can
know: its fields are declared once, in ``intake.declaration``, and checked here against it.

A hotline call rarely knows a name; a port reception desk knows who was expected to meet the
child (CASE-02, CASE-03); a police rescue knows which unit acted and to whom the child was
handed (CASE-07) and records no offence, because the child is never the target of sanctions
(CASE-08); a community report protects the reporter (ETH-02). Every channel searches before it
creates: likely existing records of the same child are returned instead of a new case until
the caller confirms the child is new.
"""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantern import taxonomy
from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case, Person, TraffickingStatus
from lantern.cases.services.common import birthdate_of, choice, codes, require, text, today
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection.intake import duplicates
from lantern.protection.intake.declaration import CHANNELS, Field, Kind
from lantern.protection.intake.models import Intake
from lantern.protection.triage import service as triage
from lantern.vault import blind_index


@dataclass(frozen=True)
class Child:
    """What is known of the child at intake; everything may be unknown."""

    given_name: str = ""
    family_name: str = ""
    nickname: str = ""
    birthdate: dt.date | None = None
    age: int | None = None
    age_evidence: str = ""
    gender: str = ""
    citizenship: tuple[str, ...] = ()
    identity_number: str = ""
    primary_language: str = ""
    home_country: str = ""


@dataclass(frozen=True)
class Match:
    """A likely existing record of the same child, and why it matched."""

    case_id: int
    reference: str
    agency: str
    registration_date: str
    state: str
    basis: str
    given_name: str = ""
    family_name: str = ""
    birthdate: str = ""
    age: int | None = None
    gender: str = ""
    citizenship: tuple[str, ...] = ()
    identity_number: str = ""
    home_country: str = ""
    probability: float | None = None  # the linkage model's, None for an exact match


class PossibleDuplicates(Refused):
    """Existing records may be the same child: show them before creating a new case."""

    def __init__(self, matches: Sequence[Match]) -> None:
        super().__init__(
            ngettext(
                "%(n)s existing record may be the same child; review it, "
                "then repeat with confirm_new to create a new case",
                "%(n)s existing records may be the same child; review them, "
                "then repeat with confirm_new to create a new case",
                len(matches),
            )
            % {"n": len(matches)}
        )
        self.matches = list(matches)


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def normalise_name(value: str) -> str:
    """Compatibility-normalised, case-folded, single-spaced: the exact-match key of a name."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def match_of(case: Case, basis: str, probability: float | None = None) -> Match:
    """An existing case as a candidate, with what the side-by-side comparison shows of it
    (identifying: only ever built for a role that reads identities, ``find_existing``)."""
    p = case.person
    return Match(
        case.pk,
        case.reference,
        case.agency.code,
        case.registration_date.isoformat(),
        case.state,
        basis,
        p.given_name,
        p.family_name,
        _iso(birthdate_of(p)),
        case.age_at_identification,
        case.gender or p.gender,
        tuple(p.citizenship or ()),
        p.identity_number,
        p.home_country,
        probability,
    )


def exact_matches(user: Any, child: Child) -> list[Match]:
    """Exact matches over the user's scope: the identity number's blind index (one indexed
    query), or normalised given + family name and birth date. Names are encrypted, so the
    second test decrypts the scoped candidates in Python: O(cases in scope), about 30 ms per
    thousand cases, acceptable for an agency's caseload and replaced by linkage at scale."""
    scoped = policy.scope_cases(user, "view").select_related("agency", "person")
    found: dict[int, Match] = {}

    def add(case: Case, basis: str) -> None:
        found.setdefault(case.pk, match_of(case, basis))

    if child.identity_number.strip():
        idx = blind_index(child.identity_number, "identity_number")
        for case in scoped.filter(person__identity_number_index=idx):
            add(case, "identity_number")
    given, family = normalise_name(child.given_name), normalise_name(child.family_name)
    if given and family and child.birthdate:
        for case in scoped.only(
            "reference",
            "registration_date",
            "state",
            "agency__code",
            "person__given_name",
            "person__family_name",
            "person__birthdate",
        ):
            p = case.person
            if (
                birthdate_of(p) == child.birthdate
                and normalise_name(p.family_name) == family
                and normalise_name(p.given_name) == given
            ):
                add(case, "name_and_birthdate")
    return sorted(found.values(), key=lambda m: m.registration_date, reverse=True)


def matcher() -> Callable[[Any, Child], list[Match]]:
    """The search before create this installation chose: ``settings.LANTERN_INTAKE_MATCHER``
    (record linkage by default), or exact matches only when none is set."""
    name = getattr(settings, "LANTERN_INTAKE_MATCHER", f"{__name__}.exact_matches")
    return cast(Callable[[Any, Child], list[Match]], import_string(name))


def find_existing(user: Any, child: Child, source: str = "") -> list[Match]:
    """Likely existing records of ``child`` in the user's scope; the search is audited."""
    if not policy.may_read(user, Tier.IDENTIFYING):
        return []  # who cannot read identities cannot compare them (e.g. community reporters)
    matches = matcher()(user, child)
    audit.record(
        user,
        "search",
        "person",
        "",
        ["given_name", "family_name", "birthdate", "identity_number"],
        reason=f"search before create: {len(matches)} match(es)",
        source=source,
    )
    return matches


def _check_child(child: Child) -> None:
    if child.age is not None and not 0 <= child.age <= 25:
        raise Invalid(_("child.age: must be between 0 and 25"), "child.age")
    if child.birthdate and child.birthdate > today():
        raise Invalid(_("child.birthdate: cannot be in the future"), "child.birthdate")
    if child.age_evidence:
        choice(child.age_evidence, taxonomy.code_list("age_evidence").ids(), "child.age_evidence")
    if child.gender:
        codes("genders", [child.gender], "child.gender")
    codes("countries", child.citizenship, "child.citizenship")


def _age(child: Child, channel: str) -> tuple[int | None, str]:
    """Age at identification and its evidence (unless given, what the channel's ages rest on:
    a reporter's estimate on a call or a report); when in doubt the child is presumed a minor."""
    age = child.age
    if age is None and child.birthdate:
        t = today()
        age = (
            t.year
            - child.birthdate.year
            - ((t.month, t.day) < (child.birthdate.month, child.birthdate.day))
        )
    given = CHANNELS[channel].age_source
    evidence = child.age_evidence or (given if age is not None else "presumed_minor")
    return age, evidence


Rule = Callable[[dict[str, Any]], None]


def _return_passage_answered(facts: dict[str, Any]) -> None:
    """When nobody met the child, whether a return passage home was offered must be answered."""
    if not facts["met_by_expected_contact"] and facts["return_passage_offered"] is None:
        raise Invalid(
            _(
                "Say whether a return passage home was offered: the child was not met by the "
                "expected contact."
            ),
            "return_passage_offered",
        )


# What a field cannot say: each channel's own rules, run on its cleaned facts.
RULES: dict[str, tuple[Rule, ...]] = {"transit_reception": (_return_passage_answered,)}
# What every intake of a channel records without asking: a child met alone is unaccompanied.
IMPLIED: dict[str, dict[str, Any]] = {"transit_reception": {"concerns": ["unaccompanied"]}}
# Who may only submit reports (and open no cases) may file these, owned by no one (ETH-02).
REPORTED = frozenset({"community_report"})


def _clean(user: Any, f: Field, value: Any) -> Any:
    """``value`` of the declared field ``f``, checked as the declaration says; Invalid names
    the field. An organisation is one the user may name, looked up through the policy."""
    k, name = f.kind, f.name
    if k is Kind.TEXT:
        return text(value, name, required=f.required, max_length=f.max_length)
    if k is Kind.CODE:
        return choice(value, f.codes(), name) if value or f.required else ""
    if k is Kind.CODES:
        out = [choice(v, f.codes(), name) for v in value or ()]
        if f.required and not out:
            raise Invalid(
                _("%(field)s: at least one of %(codes)s")
                % {"field": name, "codes": ", ".join(f.codes())},
                name,
            )
        return list(dict.fromkeys(out))
    if value is None:
        if f.required or k is Kind.YES_NO:
            raise Invalid(_("%(field)s: required") % {"field": name}, name)
        return None
    if k is Kind.ORGANISATION:
        org = policy.scoped_get(user, "organisation", "view", value)
        if org is None:
            raise Invalid(
                _("%(field)s: no organisation %(id)s") % {"field": name, "id": value}, name
            )
        return org
    if k in (Kind.YES_NO, Kind.TRI):
        return value
    # A channel that asks a date, a number or a country needs its check written here first.
    raise TypeError(f"{name}: the intake service does not clean {k.value} fields")


def clean_facts(user: Any, channel: str, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The channel's facts as its declaration (``declaration.CHANNELS``) and its rules allow
    them: each field cleaned in declared order, then the channel's rules. A fact the channel
    does not declare, or a field left out that must be given, is Invalid naming it."""
    declared = CHANNELS.get(channel)
    if declared is None:
        raise Invalid(_("channel: no intake channel %(name)s") % {"name": channel}, "channel")
    names = {f.name for f in declared.fields}
    for name in facts:
        if name not in names:
            raise Invalid(_("%(field)s: not asked by this channel") % {"field": name}, name)
    cleaned = {f.name: _clean(user, f, facts.get(f.name)) for f in declared.fields}
    for rule in RULES.get(channel, ()):
        rule(cleaned)
    return cleaned | copy.deepcopy(IMPLIED.get(channel, {}))


def open_case(
    user: Any,
    channel: str,
    child: Child,
    facts: Mapping[str, Any],
    *,
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """Open a case from ``channel`` (a name of ``declaration.CHANNELS``) with what it knows:
    ``facts``, the channel's declared fields by name, and what is known of the ``child``.

    Likely existing records of the child are raised (PossibleDuplicates) instead of a new case
    unless ``confirm_new``. A rescue records no offence: a rescued child is a possible victim,
    never the target of sanctions (CASE-08); a community reporter may stay anonymous, and a
    name or contact given is encrypted and shown to supervisors only (ETH-02).
    """
    intake = clean_facts(user, channel, facts)
    reporter = not policy.allows(user, "case", "create")
    if channel in REPORTED and reporter:
        require(user, "report", "submit", _("submit community reports"))
    else:
        require(user, "case", "create", _("open cases"))
    if user.agency_id is None:
        raise NotAllowed(_("your account belongs to no agency, so it cannot open cases"))
    _check_child(child)
    matches = find_existing(user, child, source)  # searched again when confirmed: recorded
    if matches and not confirm_new:
        raise PossibleDuplicates(matches)
    age, evidence = _age(child, channel)
    citizenship = codes("countries", child.citizenship, "child.citizenship")
    with transaction.atomic():
        person = Person.objects.create(
            given_name=child.given_name.strip(),
            family_name=child.family_name.strip(),
            nickname=child.nickname.strip(),
            birthdate=cast(Any, child.birthdate),
            identity_number=child.identity_number.strip(),
            identity_number_index=(
                blind_index(child.identity_number, "identity_number")
                if child.identity_number.strip()
                else ""
            ),
            gender=child.gender,
            citizenship=citizenship,
            primary_language=child.primary_language,
            home_country=child.home_country,
        )
        case = Case.objects.create(
            person=person,
            agency_id=user.agency_id,
            source_record_id=f"intake-{person.key.hex[:12]}",
            owner=None if reporter else user,
            team_id=user.team_id,  # a reporter's report lands with their team for triage
            registration_date=today(),
            intake_channel=channel,
            trafficking_status=TraffickingStatus.POSSIBLE,
            age_evidence=evidence,
            age_at_identification=age,
            age_min=age,  # the age as given (#16): an exact age is its own band
            age_max=age,
            age_group=taxonomy.age_group(age) or "",
            gender=child.gender,
            citizenship=citizenship[0] if citizenship else "",
        )
        recorded = Intake.objects.create(case=case, channel=channel, recorded_by=user, **intake)
        if matches:  # the caseworker saw these and said the child is new (#15, item 5)
            duplicates.record(
                user, channel, [m.case_id for m in matches], "new", case, source=source
            )
        triage.enqueue(user, case, recorded, source)  # a call or a report waits for a duty officer
        audit.record(
            user, "create", "case", case.reference, reason=f"intake: {channel}", source=source
        )
    return case


def intake_view(user: Any, case: Case, source: str = "") -> dict[str, Any]:
    """The case's intake facts; the reporter's identity only for a role allowed to see it."""
    policy.get_or_404(user, "case", "view", case.pk)
    i = Intake.objects.filter(case=case).select_related("handed_over_to").first()
    if i is None:
        return {"channel": case.intake_channel, "recorded": False}
    out: dict[str, Any] = {
        "channel": i.channel,
        "recorded": True,
        "place": i.place,
        "concerns": i.concerns,
        "severity": i.severity,
        "expected_contact": i.expected_contact,
        "met_by_expected_contact": i.met_by_expected_contact,
        "return_passage_offered": i.return_passage_offered,
        "return_passage_provider": i.return_passage_provider,
        "rescuing_unit": i.rescuing_unit,
        "handed_over_to": i.handed_over_to.name if i.handed_over_to else None,
        "referring_organisation": i.referring_organisation,
        "referral_reason": i.referral_reason,
        "rights_information_given": i.rights_information_given,
        "reporter": None,
        "notes": i.notes if policy.may_read(user, Tier.HIGHLY_SENSITIVE) else None,
    }
    may_see_reporter = policy.scope_for(user, "intake", "view_reporter") is not None
    if may_see_reporter and (i.reporter_name or i.reporter_contact):
        out["reporter"] = {"name": i.reporter_name, "contact": i.reporter_contact}
        audit.record(
            user,
            "read",
            "intake",
            case.reference,
            ["reporter_name", "reporter_contact"],
            reason="community reporter's identity",
            source=source,
        )
    return out
