"""The justice chain: record a step (suspected, arrested, charged, prosecuted, verdict,
sentence) against a register record, and count persons for GLOTIP's justice indicators.

A step names the victims' cases it concerns (only cases the recorder may view) and may link
the child's own legal proceedings (``protection.legal``), which keep the child's protection.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.errors import Invalid, NotFound
from lantern.perpetrators.models import JusticeStage, JusticeStep, Perpetrator, PerpetratorKind
from lantern.perpetrators.service import (
    VERDICTS,
    case_ids_of,
    days_to_verdict,
    identified_on,
    may_read_register,
)

SENTENCE_MONTHS_MAX = 1200
#: GLOTIP's indicators and the stages that bring a person under each (a person counts once per
#: indicator and year, at the first such step of that year)
GLOTIP_STAGES: dict[str, tuple[str, ...]] = {
    "Persons brought into formal contact": (
        JusticeStage.SUSPECTED,
        JusticeStage.ARRESTED,
        JusticeStage.CHARGED,
    ),
    "Persons prosecuted": (JusticeStage.PROSECUTED,),
    "Persons convicted": (JusticeStage.CONVICTED,),
}
#: GLOTIP's Sex column from the genders code list; a business (a legal person) is "Other"
UNODC_SEX = {
    "Feminine": "Female",
    "Masculine": "Male",
    "TransgenderFeminine": "Other",
    "TransgenderMasculine": "Other",
    "NonConforming": "Other",
}


def record_step(
    user: Any,
    row: Perpetrator,
    *,
    stage: str,
    date: dt.date | None,
    case_ids: Sequence[int] = (),
    proceeding_ids: Sequence[int] = (),
    sentence_months: int | None = None,
    source: str = "",
) -> JusticeStep:
    """Record one step of ``row``'s justice chain (("justice", "record"), on a record the user
    may read). Cases must name this perpetrator and be in the user's view."""
    if not policy.allows(user, "justice", "record") or not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    if user.agency_id is None:
        raise Invalid(_("Only staff of an agency record the justice chain."))
    if stage not in JusticeStage.values:
        raise Invalid(_("Choose the step from the list."), "stage")
    if date is None:
        raise Invalid(_("Give the date of this step."), "date")
    if date > dt.date.today():
        raise Invalid(_("The date cannot be in the future."), "date")
    if sentence_months is not None:
        if stage != JusticeStage.SENTENCED:
            raise Invalid(_("A sentence length goes with the step 'Sentenced'."), "sentence_months")
        if not 0 <= sentence_months <= SENTENCE_MONTHS_MAX:
            raise Invalid(_("A sentence is between 0 and 1200 months."), "sentence_months")
    named = case_ids_of(row)
    visible = policy.scope_cases(user, "view").filter(pk__in=list(case_ids))
    cases = list(visible.filter(pk__in=named))
    if len(cases) != len(set(case_ids)):
        raise Invalid(_("Choose cases in which this perpetrator is named."), "case_ids")
    proceedings = list(
        policy.scoped(user, "legal_proceeding", "view").filter(
            pk__in=list(proceeding_ids), case__in=cases
        )
    )
    if len(proceedings) != len(set(proceeding_ids)):
        raise Invalid(
            _("Choose legal proceedings of the cases this step concerns."), "proceeding_ids"
        )
    with transaction.atomic():
        step = JusticeStep.objects.create(
            perpetrator=row,
            stage=stage,
            date=date,
            agency_id=user.agency_id,
            sentence_months=sentence_months,
            recorded_by=user,
        )
        step.cases.set(cases)
        step.legal_proceedings.set(proceedings)
    audit.record(
        user,
        "create",
        "justice_step",
        step.pk,
        reason=f"perpetrator {row.pk}: {stage}",
        source=source,
    )
    return step


def _sex(row_kind: str, sex: str) -> str:
    if row_kind == PerpetratorKind.BUSINESS:
        return "Other"
    return UNODC_SEX.get(sex, "Unknown")


def glotip_persons(year: int) -> dict[str, dict[int, str]]:
    """Per GLOTIP indicator in ``year``, the persons (register ids) and GLOTIP's Sex of each
    (no names read): what the distinct counts and their totals are made of."""
    out: dict[str, dict[int, str]] = {}
    for indicator, stages in GLOTIP_STAGES.items():
        rows = (
            JusticeStep.objects.filter(date__year=year, stage__in=stages)
            .order_by()
            .values_list("perpetrator_id", "perpetrator__kind", "perpetrator__sex")
            .distinct()
        )
        out[indicator] = {pk: _sex(kind, sex) for pk, kind, sex in rows}
    return out


def glotip_counts(year: int) -> dict[str, Counter[str]]:
    """Distinct persons per GLOTIP indicator in ``year``, by GLOTIP's Sex (no names read)."""
    return {i: Counter(seen.values()) for i, seen in glotip_persons(year).items()}


def median_days_to_verdict(year: int | None = None) -> float | None:
    """The median time from the identification of a person's first child to their first
    verdict (verdicts in ``year`` when given): how long justice takes for the children."""
    chains: dict[int, list[tuple[str, dt.date]]] = {}
    for pk, stage, date in JusticeStep.objects.values_list("perpetrator_id", "stage", "date"):
        chains.setdefault(pk, []).append((stage, date))
    identified = identified_on(chains)
    days = sorted(
        d
        for pk, steps in chains.items()
        if (d := days_to_verdict(identified.get(pk), steps)) is not None
        and (year is None or min(s for st, s in steps if st in VERDICTS).year == year)
    )
    if not days:
        return None
    mid = len(days) // 2
    return float(days[mid]) if len(days) % 2 else (days[mid - 1] + days[mid]) / 2
