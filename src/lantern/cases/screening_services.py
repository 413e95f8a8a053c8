"""Screening a case: ask the policy layer, run the rules, keep every screening, set the status.

The rules (lantern.screening) decide nothing about the database; this service stores what was
observed and concluded, follows the case's HTCDS trafficking status from the result (with the
deciding organisation), and audits the change. A screening is not a legal determination: it
gives "Possible" at most, and leaves a formal determination ("Actual") as it is. Earlier
screenings are never edited: a new one is added and the status change between them is dated
(smuggled, then trafficked: DEF-15). A screening found wrong (its field form edited in ODK or
Kobo) is corrected the same way: a new screening that ``corrects`` it, after which the rules'
history reads the correction in its place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.cases import determination
from lantern.cases.models import Case, IndicatorObservation, ScreeningResult, TraffickingStatus
from lantern.errors import NotFound, Refused
from lantern.screening import (
    Recommendation,
    ScreeningInputError,
    ScreeningRecord,
    parse_input,
    rescreen,
    screen,
)
from lantern.screening import ScreeningResult as RulesResult
from lantern.taxonomy import code_list

_ANSWER_VALUE: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}

#: Sent inside the screening's transaction, once it is stored, with ``user``, ``case``,
#: ``screening`` (the stored row), ``facts`` (the parsed input) and ``source``: what the
#: screening established is written back to the case by whoever keeps the case's story
#: (``lantern.protection.story.writeback``), which this package sits below.
case_screened = Signal()


def decision_org(user: Any) -> str:
    """The HTCDS deciding organisation for a decision made by ``user``'s agency: the one its kind
    names in the ``agency_types`` list; "Other" when the kind is not recorded."""
    kinds = code_list("agency_types")
    kind = getattr(getattr(user, "agency", None), "type", "")
    return (kinds.get(kind).decision_org if kind in kinds else None) or "Other"


def trafficking_status_for(result: RulesResult) -> str:
    """HTCDS status a screening gives a case: never "Actual".

    HTCDS 2.0 ``vic_TraffickingStatus`` (shared/reference/standards.md 2.3 and 4.2) keeps
    ``ActualVictimOfTrafficking`` for a formal determination (lantern.cases.determination);
    a screening reads indicators, so established or undetermined trafficking is "Possible"
    (protect first). An established "no" is "Not a victim" until new facts arrive.
    """
    if result.trafficking == "no":
        return TraffickingStatus.NOT_A_VICTIM
    return TraffickingStatus.POSSIBLE


def case_age_answers(case: Case) -> dict[str, Any]:
    """The age part of a screening, pre-filled from the case.

    The age at recruitment is preferred when recorded: the child rules turn on the age at the
    time of the act, and a child recruited at 16 and identified at 19 is still a child victim.
    A case marked "presumed minor" has reasons to believe the person is a child. An age known
    only as a band (``age_min``..``age_max``) answers with the bound that settles the child
    test and no more: its highest age when that is under 18 (a child), its lowest when that is
    18 or over (an adult); a band across 18 answers nothing.
    """
    years = case.age_at_recruitment
    if years is None:
        years = case.age_at_identification
    if years is None and case.age_max is not None and case.age_max < 18:
        years = case.age_max
    elif years is None and case.age_min is not None and case.age_min >= 18:
        years = case.age_min
    age: dict[str, Any] = {}
    if years is not None:
        age["years"] = years
    if case.age_evidence in ("documented", "assessed", "stated"):
        age["basis"] = case.age_evidence
    elif case.age_evidence == "presumed_minor":
        age["reasons_to_believe_child"] = True
    if case.documented_age is not None:
        age["documented_years"] = case.documented_age
    return age


def screenings(user: Any, case: Case) -> QuerySet[ScreeningResult]:
    """A case's screenings, oldest first, for a user who may see them (else 404).

    Screenings carry sexual-exploitation indicators, so they need the highly sensitive tier
    on top of the right to view the case.
    """
    if not policy.case_allows(user, "view", case) or not policy.may_read(
        user, Tier.HIGHLY_SENSITIVE
    ):
        raise NotFound("No such case")
    return _of(case).select_related("screened_by", "corrects")


def _of(case: Case) -> QuerySet[ScreeningResult]:
    return ScreeningResult.objects.filter(case=case).order_by("screened_at", "id")


def _recommendation_parts(result: RulesResult) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    rec: Recommendation | None = result.recommendation
    while rec is not None:
        parts.append({"code": rec.code, "params": dict(rec.params)})
        rec = rec.then
    return parts


def _history(case: Case) -> list[ScreeningRecord]:
    """Earlier screenings re-read with the current rules (skipping inputs they now refuse)."""
    records = []
    for row in _of(case).filter(corrected_by__isnull=True):
        try:
            records.append(ScreeningRecord(row.screened_at, screen(parse_input(row.input))))
        except ScreeningInputError:
            continue
    return records


def _may_correct(case: Case, corrects: ScreeningResult) -> None:
    """A screening corrects one earlier screening of the same case, once."""
    if corrects.case_id != case.pk:
        raise Refused(_("a screening corrects only a screening of the same case"), "corrects")
    if ScreeningResult.objects.filter(corrects=corrects).exists():
        raise Refused(_("that screening is already corrected"), "corrects")


@transaction.atomic
def screen_case(
    user: Any,
    case: Case,
    answers: dict[str, Any],
    at: dt.datetime | None = None,
    source: str = "",
    corrects: ScreeningResult | None = None,
) -> ScreeningResult:
    """Screen ``case`` with ``answers`` (the ``lantern screen`` input shape) and store it all;
    ``corrects`` names an earlier screening of the case this one corrects.

    Raises NotFound when the user may not screen this case, ScreeningInputError (naming the
    field) for bad answers, ValueError when ``at`` is before the case's last screening, and
    Refused when ``corrects`` is another case's or already corrected.
    """
    if not policy.case_allows(user, "screen", case):
        raise NotFound("No such case")
    if not isinstance(answers, dict):
        raise ScreeningInputError("(top level)", "must be a JSON object")
    answers = dict(answers)
    if "age" not in answers:
        answers["age"] = case_age_answers(case)
    facts = parse_input(answers)
    at = at or timezone.now()
    case = Case.objects.select_for_update().get(pk=case.pk)
    previous = _of(case).last()
    if previous is not None and at < previous.screened_at:
        raise ValueError("at: a re-screening cannot be dated before the last screening")
    if corrects is not None:
        _may_correct(case, corrects)

    history = rescreen(_history(case), facts, at)
    result = history.current
    change = ""
    if len(history.records) > 1 and history.records[-2].result.status != result.status:
        change = history.changes[-1].code
    status, org = trafficking_status_for(result), decision_org(user)
    row = ScreeningResult.objects.create(
        case=case,
        previous=previous,
        corrects=corrects,
        input=answers,
        result={**result.to_dict(), "recommendation_parts": _recommendation_parts(result)},
        trafficking=result.trafficking,
        status=result.status,
        status_change=change,
        is_child=result.is_child,
        ruleset_version=result.ruleset_version,
        provisional=result.provisional,
        trafficking_status=status,
        decided_by_org=org,
        screened_by=user,
        screened_at=at,
    )
    IndicatorObservation.objects.bulk_create(
        IndicatorObservation(
            case=case,
            screening=row,
            indicator_id=indicator_id,
            value=_ANSWER_VALUE[answer],
            observer=user,
            observed_at=at,
        )
        for indicator_id, answer in sorted(facts.indicators.items())
    )
    audit.record(
        user,
        "screen",
        "case",
        case.reference,
        fields=sorted(facts.indicators),
        reason=f"screening {row.pk}; {result.ruleset_version}; trafficking "
        f"{result.trafficking}, status {result.status}"
        + (f" ({change})" if change else "")
        + (f"; corrects screening {corrects.pk}" if corrects is not None else ""),
        source=source,
    )
    before = (case.trafficking_status, case.trafficking_status_decided_by)
    if before != (status, org) and not determination.is_formal(case):
        case.trafficking_status, case.trafficking_status_decided_by = status, org
        case.save(
            update_fields=["trafficking_status", "trafficking_status_decided_by", "updated_at"]
        )
        audit.record(
            user,
            "update",
            "case",
            case.reference,
            fields=["trafficking_status", "trafficking_status_decided_by"],
            reason=f"screening {row.pk}: {before[0] or 'none'} -> {status}, decided by {org}",
            source=source,
        )
    case_screened.send(
        ScreeningResult, user=user, case=case, screening=row, facts=facts, source=source
    )
    return row
