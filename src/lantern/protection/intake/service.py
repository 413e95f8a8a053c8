"""Intake: one function per channel, each asking only what that channel can know.

A hotline call rarely knows a name; a port reception desk knows who was expected to meet the
child (CASE-02, CASE-03); a police rescue knows which unit acted and to whom the child was
handed (CASE-07) and records no offence, because the child is never the target of sanctions
(CASE-08); a community report protects the reporter (ETH-02). Every channel searches before it
creates: likely existing records of the same child are returned instead of a new case until
the caller confirms the child is new.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lantern import taxonomy
from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases.models import Case, Person, TraffickingStatus
from lantern.cases.services.common import birthdate_of, choice, codes, require, text, today
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.protection.intake.models import Concern, Intake, Severity
from lantern.vault import blind_index

CONCERNS = tuple(Concern.values)
SEVERITIES = tuple(Severity.values)


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


class PossibleDuplicates(Refused):
    """Existing records may be the same child: show them before creating a new case."""

    def __init__(self, matches: Sequence[Match]) -> None:
        super().__init__(
            _(
                "%(n)s existing record(s) may be the same child; review them, "
                "then repeat with confirm_new to create a new case"
            )
            % {"n": len(matches)}
        )
        self.matches = list(matches)


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def normalise_name(value: str) -> str:
    """Compatibility-normalised, case-folded, single-spaced: the exact-match key of a name."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def exact_matches(user: Any, child: Child) -> list[Match]:
    """Exact matches over the user's scope: the identity number's blind index (one indexed
    query), or normalised given + family name and birth date. Names are encrypted, so the
    second test decrypts the scoped candidates in Python: O(cases in scope), about 30 ms per
    thousand cases, acceptable for an agency's caseload and replaced by linkage at scale."""
    scoped = policy.scope_cases(user, "view").select_related("agency", "person")
    found: dict[int, Match] = {}

    def add(case: Case, basis: str) -> None:
        p = case.person
        found.setdefault(
            case.pk,
            Match(
                case.pk,
                case.reference,
                case.agency.code,
                case.registration_date.isoformat(),
                case.state,
                basis,
                p.given_name,
                p.family_name,
                _iso(birthdate_of(p)),
            ),
        )

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


def _age(child: Child) -> tuple[int | None, str]:
    """Age at identification and its evidence; when in doubt the child is presumed a minor."""
    age = child.age
    if age is None and child.birthdate:
        t = today()
        age = (
            t.year
            - child.birthdate.year
            - ((t.month, t.day) < (child.birthdate.month, child.birthdate.day))
        )
    evidence = child.age_evidence or ("stated" if age is not None else "presumed_minor")
    return age, evidence


def _open(
    user: Any,
    channel: str,
    child: Child,
    intake: dict[str, Any],
    *,
    confirm_new: bool,
    source: str,
) -> Case:
    # Who may only submit reports (and open no cases) files a community report, owned by no one.
    reporter = not policy.allows(user, "case", "create")
    if channel == "community_report" and reporter:
        require(user, "report", "submit", _("submit community reports"))
    else:
        require(user, "case", "create", _("open cases"))
    if user.agency_id is None:
        raise NotAllowed(_("your account belongs to no agency, so it cannot open cases"))
    _check_child(child)
    if not confirm_new:
        matches = find_existing(user, child, source)
        if matches:
            raise PossibleDuplicates(matches)
    age, evidence = _age(child)
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
            age_group=taxonomy.age_group(age) or "",
            gender=child.gender,
            citizenship=citizenship[0] if citizenship else "",
        )
        Intake.objects.create(case=case, channel=channel, recorded_by=user, **intake)
        audit.record(
            user, "create", "case", case.reference, reason=f"intake: {channel}", source=source
        )
    return case


def hotline_call(
    user: Any,
    child: Child,
    *,
    concerns: Sequence[str],
    severity: str,
    place: str = "",
    notes: str = "",
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """A call to the hotline: what worried the caller and how grave it is."""
    return _open(
        user,
        "hotline",
        child,
        {
            "concerns": _concerns(concerns),
            "severity": choice(severity, SEVERITIES, "severity"),
            "place": text(place, "place", max_length=200),
            "notes": text(notes, "notes", max_length=4000),
        },
        confirm_new=confirm_new,
        source=source,
    )


def transit_reception(
    user: Any,
    child: Child,
    *,
    place: str,
    expected_contact: str,
    met_by_expected_contact: bool,
    return_passage_offered: bool | None = None,
    return_passage_provider: str = "",
    rights_information_given: bool | None = None,
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """An unaccompanied child received at a port or station (Visayan Forum model).

    When nobody met the child, whether a return passage home was offered must be answered.
    """
    if not met_by_expected_contact and return_passage_offered is None:
        raise Invalid(
            _(
                "return_passage_offered: required when the child was not met by the expected "
                "contact"
            ),
            "return_passage_offered",
        )
    return _open(
        user,
        "transit_reception",
        child,
        {
            "place": text(place, "place", required=True, max_length=200),
            "expected_contact": text(expected_contact, "expected_contact", max_length=40),
            "met_by_expected_contact": met_by_expected_contact,
            "return_passage_offered": return_passage_offered,
            "return_passage_provider": text(return_passage_provider, "return_passage_provider"),
            "rights_information_given": rights_information_given,
            "concerns": ["unaccompanied"],
        },
        confirm_new=confirm_new,
        source=source,
    )


def police_rescue(
    user: Any,
    child: Child,
    *,
    rescuing_unit: str,
    handed_over_to: int,
    place: str = "",
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """A rescue by law enforcement, handed over to child-centred services. There is no field
    for an offence: a rescued child is a possible victim, never the target of sanctions."""
    org = policy.scoped_get(user, "organisation", "view", handed_over_to)
    if org is None:
        raise Invalid(
            _("handed_over_to: no organisation %(id)s") % {"id": handed_over_to},
            "handed_over_to",
        )
    return _open(
        user,
        "rescue",
        child,
        {
            "rescuing_unit": text(rescuing_unit, "rescuing_unit", required=True, max_length=200),
            "handed_over_to": org,
            "place": text(place, "place", max_length=200),
        },
        confirm_new=confirm_new,
        source=source,
    )


def agency_referral(
    user: Any,
    child: Child,
    *,
    referring_organisation: str,
    referral_reason: str,
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """A child referred in by another agency (HTCDS incoming referral)."""
    return _open(
        user,
        "referral",
        child,
        {
            "referring_organisation": text(
                referring_organisation, "referring_organisation", required=True, max_length=200
            ),
            "referral_reason": text(referral_reason, "referral_reason", required=True),
        },
        confirm_new=confirm_new,
        source=source,
    )


def self_referral(
    user: Any,
    child: Child,
    *,
    place: str = "",
    notes: str = "",
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """A child who came for help on their own."""
    return _open(
        user,
        "self_referral",
        child,
        {
            "place": text(place, "place", max_length=200),
            "notes": text(notes, "notes", max_length=4000),
        },
        confirm_new=confirm_new,
        source=source,
    )


def community_report(
    user: Any,
    child: Child,
    *,
    place: str,
    concerns: Sequence[str],
    severity: str,
    reporter_name: str = "",
    reporter_contact: str = "",
    confirm_new: bool = False,
    source: str = "",
) -> Case:
    """A community or transport worker's report (minimal form). The reporter may stay
    anonymous; a name or contact given is encrypted and shown to supervisors only."""
    return _open(
        user,
        "community_report",
        child,
        {
            "place": text(place, "place", required=True, max_length=200),
            "concerns": _concerns(concerns),
            "severity": choice(severity, SEVERITIES, "severity"),
            "reporter_name": text(reporter_name, "reporter_name", max_length=200),
            "reporter_contact": text(reporter_contact, "reporter_contact", max_length=200),
        },
        confirm_new=confirm_new,
        source=source,
    )


def _concerns(values: Sequence[str]) -> list[str]:
    out = [choice(v, CONCERNS, "concerns") for v in values]
    if not out:
        raise Invalid(
            _("concerns: at least one of %(codes)s") % {"codes": ", ".join(CONCERNS)}, "concerns"
        )
    return list(dict.fromkeys(out))


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
