"""Who works a case: assigning and reassigning its owner, one case or many at once.

Only supervisors assign (RULES ``("case", "assign")``). A caseworker does not take cases
themselves: balancing a team's caseload is the supervisor's job, done from the caseload view
only they see, and an urgent unowned report belongs in the duty officer's triage queue rather
than with whoever opens it first. The new owner must be staff of the case's agency whom the
policy lets work the case as assigned; a team-scoped worker only within the case's team (a case
with no team joins its new owner's). Every change is kept (``CaseAssignment``, its reason
encrypted) and audited with the owner before and after, referring to the reason, never copying it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.models import User
from lantern.audit import services as audit
from lantern.cases.models import Case, CaseAssignment, LifecycleState
from lantern.cases.services.common import now, require, text
from lantern.errors import DomainError, Invalid, NotAllowed, NotFound, Refused

BULK_MAX = 200  # cases in one bulk assignment


@dataclass(frozen=True)
class Assignment:
    """What one assignment did: the case, its owner before and after (usernames, "" for none)."""

    case_id: int
    reference: str
    from_owner: str
    to_owner: str
    assignment_id: int


def _may_assign(user: Any) -> None:
    require(user, "case", "assign", _("assign cases"))


def workers(user: Any) -> list[User]:
    """The staff ``user`` may give cases to: active people of the user's agency whose role works
    cases (RULES ``("case", "protect")``), by username."""
    if user.agency_id is None:
        return []
    staff = User.objects.filter(agency_id=user.agency_id, is_active=True).order_by("username")
    return [w for w in staff if policy.allows(w, "case", "protect")]


def _worker(owner_id: int, case: Case) -> User:
    """The new owner, or Invalid: the same answer for a missing person and another agency's."""
    worker = User.objects.filter(pk=owner_id, is_active=True).first()
    if (
        worker is None
        or worker.agency_id != case.agency_id
        or not policy.allows(worker, "case", "protect")
    ):
        raise Invalid(
            _("owner: %(id)s is not a caseworker of the case's agency") % {"id": owner_id},
            "owner",
        )
    team_scoped = policy.scope_for(worker, "case", "protect") is policy.Scope.TEAM
    if team_scoped and case.team_id is not None and worker.team_id != case.team_id:
        raise Invalid(
            _("owner: %(name)s is not in the case's team") % {"name": worker.username}, "owner"
        )
    return worker


def _case(user: Any, case_id: int) -> Case:
    """The case to assign: NotFound outside the user's view, NotAllowed outside their assign
    scope."""
    case = policy.scope_cases(user, "view").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No such case"))
    if not policy.case_allows(user, "assign", case):
        raise NotAllowed(_("your role may not assign this case"))
    return case


def _apply(
    user: Any, case: Case, owner_id: int, reason: str, source: str, *, join_team: bool = False
) -> Assignment:
    """Lock the case, check the new owner against it as the database holds it now, write.
    ``join_team``: the case leaves its team for its new owner's (see ``give``)."""
    current = Case.objects.select_for_update(of=("self",)).select_related("owner").get(pk=case.pk)
    if join_team:
        current.team_id = None
    worker = _worker(owner_id, current)
    before = current.owner
    if before is not None and before.pk == worker.pk:
        raise Refused(_("%(name)s already owns this case") % {"name": worker.username})
    reason = text(reason, "reason", required=before is not None)
    current.owner = worker
    if current.team_id is None and worker.team_id is not None:
        current.team_id = worker.team_id  # the case joins its owner's team
    current.save(update_fields=["owner", "team", "updated_at"])
    if not policy.case_allows(worker, "protect", current):  # the policy decides, as assigned
        raise Invalid(
            _("owner: %(name)s may not work this case") % {"name": worker.username}, "owner"
        )
    step = CaseAssignment.objects.create(
        case=current, from_owner=before, to_owner=worker, reason=reason, by=user, at=now()
    )
    was = before.username if before else ""
    audit.record(
        user,
        "assign",
        "case",
        current.reference,
        ["owner"],
        reason=f"{was or '-'} -> {worker.username}: assignment {step.pk}",
        source=source,
    )
    case.owner, case.team_id = worker, current.team_id
    return Assignment(current.pk, current.reference, was, worker.username, step.pk)


def assign(
    user: Any, case_id: int, owner_id: int, reason: str = "", source: str = ""
) -> Assignment:
    """Give one case to ``owner_id``; a reason is required when it already has an owner."""
    _may_assign(user)
    case = _case(user, case_id)
    with transaction.atomic():
        return _apply(user, case, owner_id, reason, source)


def assign_many(
    user: Any, case_ids: Sequence[int], owner_id: int, reason: str = "", source: str = ""
) -> list[Assignment]:
    """Give several cases to ``owner_id``, all or none: the first refusal undoes the others and
    names its case (by reference when the user may see it, else by the id given)."""
    _may_assign(user)
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        raise Invalid(_("cases: choose at least one case"), "cases")
    if len(ids) > BULK_MAX:
        raise Invalid(_("cases: at most %(n)s at once") % {"n": BULK_MAX}, "cases")
    done: list[Assignment] = []
    with transaction.atomic():
        for case_id in ids:
            name = f"#{case_id}"
            try:
                case = _case(user, case_id)
                name = case.reference
                done.append(_apply(user, case, owner_id, reason, source))
            except DomainError as exc:
                raise type(exc)(
                    _("case %(case)s: %(reason)s") % {"case": name, "reason": exc.reason},
                    exc.field,
                ) from exc
    return done


def give(by: Any, case: Case, owner_id: int, reason: str, source: str = "") -> Assignment:
    """Make ``owner_id`` the owner of ``case`` for a service that has checked its own rule
    first: the triage queue, where the duty officer who takes a report becomes its owner. A
    report lands with its reporter's team only to be triaged, so the case joins its new owner's
    team. The owner is checked, kept and audited as by ``assign``; call inside a transaction."""
    return _apply(by, case, owner_id, reason, source, join_team=True)


def unassigned(user: Any) -> QuerySet[Case]:
    """The open cases without an owner that ``user`` may assign, oldest first."""
    _may_assign(user)
    waiting = policy.scope_cases(user, "assign").filter(owner__isnull=True)
    return waiting.exclude(state=LifecycleState.CLOSED).order_by("registration_date", "pk")


def history(case: Case) -> list[CaseAssignment]:
    """A case's owners in order (the caller has already been allowed to view the case)."""
    return list(case.assignments.select_related("from_owner", "to_owner", "by"))


__all__ = [
    "BULK_MAX",
    "Assignment",
    "assign",
    "assign_many",
    "give",
    "history",
    "unassigned",
    "workers",
]
