"""Old "Actual victim" statuses without a formal determination, found and set back (#15, item 8).

Before formal determinations were recorded (``lantern.cases.determination``, migration 0010),
a caseworker's screening could set "Actual". HTCDS keeps "Actual" for the decision of the
police, a prosecutor, a court or a government authority, with its date. This review finds the
cases that say "Actual" without one and, when applied, sets each back to "Possible" (presumed),
one audited update per case with the reason. It leaves alone what rests on a decision: a
recorded determination (deciding body and date) and an agency's imported record (its source is
the import, the agency's own determination). Scoped like recording a determination: the
supervisor's agency (RULES ``("case", "determine")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.determination import FORMAL_BODIES
from lantern.cases.models import Case, TraffickingStatus
from lantern.cases.models.case import DeterminationSource
from lantern.cases.services.common import require

REASON = "Actual without a formal determination (set by screening before #15 item 8)"


@dataclass(frozen=True)
class Reviewed:
    """One case found by the review: its reference, and who the old status named."""

    case_id: int
    reference: str
    decided_by: str
    changed: bool


def formal() -> Q:
    """The cases whose "Actual" rests on a decision: recorded with its body and date, or
    brought by the agency's own record."""
    recorded = Q(trafficking_status_decided_by__in=FORMAL_BODIES) & Q(
        trafficking_determined_on__isnull=False
    )
    return recorded | Q(trafficking_determination_source=DeterminationSource.IMPORT)


def without_determination(user: Any) -> QuerySet[Case]:
    """The "Actual" cases in the user's scope that no formal determination supports."""
    require(user, "case", "determine", _("review trafficking determinations"))
    actual = policy.scope_cases(user, "determine").filter(
        trafficking_status=TraffickingStatus.ACTUAL
    )
    return actual.exclude(formal()).order_by("pk")


def review_actual(user: Any, *, apply: bool = False, source: str = "") -> list[Reviewed]:
    """List the cases (``apply=False``), or set each back to "Possible" (``apply=True``);
    either way audited: the listing once, each change on its own case."""
    found: list[Reviewed] = []
    with transaction.atomic():
        for case in without_determination(user).select_for_update(of=("self",)):
            if apply:
                before = case.trafficking_status_decided_by or "-"
                case.trafficking_status = TraffickingStatus.POSSIBLE
                case.save(update_fields=["trafficking_status", "updated_at"])
                audit.record(
                    user,
                    "update",
                    "case",
                    case.reference,
                    ["trafficking_status"],
                    reason=f"{REASON}: Actual ({before}) -> Possible",
                    source=source,
                )
            found.append(
                Reviewed(case.pk, case.reference, case.trafficking_status_decided_by, apply)
            )
        if not apply:
            audit.record(
                user,
                "review",
                "case",
                "",
                ["trafficking_status"],
                reason=f"{REASON}: {len(found)} case(s) listed, none changed",
                source=source,
            )
    return found
