"""A formal trafficking determination: the one way a case becomes an "Actual victim".

HTCDS 2.0 ``vic_TraffickingStatus`` (shared/reference/standards.md 2.3 and 4.2) keeps
``ActualVictimOfTrafficking`` for a formal determination and records who made it
(``vic_TraffickingStatusDecisionMakingOrg``); indicators alone, such as a caseworker's
screening, give ``PossibleVictimOfTrafficking`` (lantern.cases.screening_services). This
service records a decision someone else made: its deciding body and date, audited with the
status before and after. An agency's imported record that says "Actual" keeps it, with the
import as its source (lantern.cases.importing.rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import Case, TraffickingStatus
from lantern.cases.models.case import DeterminationSource
from lantern.errors import Invalid, NotFound

# The decision_orgs ids whose decision is a formal determination: police, prosecution or court,
# and a non-police government body (the competent authority of a national referral mechanism).
# An NGO's finding, or "Other", is an identification by indicators: "Possible".
FORMAL_BODIES = ("Police", "CourtOrProsecution", "NonPoliceGovernmentalOrganization")

_FIELDS = [
    "trafficking_status",
    "trafficking_status_decided_by",
    "trafficking_determined_on",
    "trafficking_determination_source",
]


def _state(case: Case) -> str:
    on = case.trafficking_determined_on
    return (
        f"{case.trafficking_status or 'none'} ({case.trafficking_status_decided_by or '-'}, "
        f"{on.isoformat() if on else '-'})"
    )


@transaction.atomic
def record_determination(
    user: Any, case: Case, body: str, decided_on: dt.date | None, source: str = ""
) -> Case:
    """Record that ``body`` formally determined on ``decided_on`` that the child is a victim.

    Raises NotFound when the user may not record determinations for this case (as if it did
    not exist, like every refused case action), Invalid naming ``body`` or ``decided_on``.
    """
    if not policy.case_allows(user, "determine", case):
        raise NotFound("No such case")
    if body not in FORMAL_BODIES:
        raise Invalid(
            _(
                "A formal determination is made by the police, a prosecutor, a court or a "
                "government authority"
            ),
            "body",
        )
    if decided_on is None:
        raise Invalid(_("The date of the decision is required"), "decided_on")
    if decided_on > timezone.localdate():
        raise Invalid(_("The date of the decision cannot be in the future"), "decided_on")
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = _state(case)
    case.trafficking_status = TraffickingStatus.ACTUAL
    case.trafficking_status_decided_by = body
    case.trafficking_determined_on = decided_on
    case.trafficking_determination_source = DeterminationSource.RECORDED
    case.save(update_fields=[*_FIELDS, "updated_at"])
    audit.record(
        user,
        "update",
        "case",
        case.reference,
        fields=_FIELDS,
        reason=f"formal determination: {before} -> {_state(case)}",
        source=source,
    )
    return case


def is_formal(case: Case) -> bool:
    """Whether the case's status rests on a formal determination, which screenings keep."""
    return case.trafficking_status == TraffickingStatus.ACTUAL
