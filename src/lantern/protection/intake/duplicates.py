"""What a caseworker chose when intake found records that may be the child (#15, item 5).

Intake shows every candidate in the review band beside the new child; the caseworker opens an
existing case or goes on to open a new one. Either choice is kept (``DuplicateChoice``: who,
which candidates, which choice) and audited. Candidates are kept only as far as the user may
see them: a client cannot record a case it was never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import Case
from lantern.errors import Invalid, NotAllowed
from lantern.protection.intake.declaration import CHANNELS
from lantern.protection.intake.models import DuplicateChoice


def record(
    user: Any,
    channel: str,
    candidates: Iterable[int],
    choice: str,
    case: Case,
    source: str = "",
) -> DuplicateChoice:
    """Keep the choice and audit it (the candidates by case id, never a name)."""
    ids = sorted(set(candidates))
    kept = DuplicateChoice.objects.create(
        channel=channel, choice=choice, case=case, candidates=ids, chosen_by=user
    )
    audit.record(
        user,
        "decide",
        "intake_duplicates",
        case.reference,
        reason=f"{choice}: {len(ids)} candidate case(s) shown {ids}; choice {kept.pk}",
        source=source,
    )
    return kept


def choose_existing(
    user: Any, channel: str, case_id: int, candidates: Iterable[int], source: str = ""
) -> Case:
    """The caseworker says the child is the one of ``case_id`` and opens that case instead of
    a new one. Only for those who may open cases, and only a case they may view (else
    NotFound, as for any case outside the scope)."""
    if not policy.allows(user, "case", "create"):
        raise NotAllowed(_("your role may not open cases"))
    if channel not in CHANNELS:
        raise Invalid(_("channel: no intake channel %(name)s") % {"name": channel}, "channel")
    case: Case = policy.get_or_404(user, "case", "view", case_id)
    shown = set(
        policy.scope_cases(user, "view")
        .filter(pk__in=[int(c) for c in candidates])
        .values_list("pk", flat=True)
    )
    record(user, channel, shown | {case.pk}, DuplicateChoice.Choice.EXISTING, case, source)
    return case
