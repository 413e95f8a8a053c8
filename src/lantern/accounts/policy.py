"""The one policy layer: who may do what, to which records, and see which fields.

Every page, API endpoint, export, command and task asks these functions; nothing else decides.
Rules are one table (``RULES``): role x (resource, action) -> scope. Anything not in the table
is denied. List queries are filtered in the database (``scope_cases``), and a record outside
one's scope is answered as if it did not exist (callers raise 404, never 403).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.accounts.models import Role

if TYPE_CHECKING:
    from lantern.accounts.models import User
    from lantern.cases.models import Case


class Scope(StrEnum):
    OWN = "own"
    TEAM = "team"
    AGENCY = "agency"
    AREA = "area"
    NATIONAL = "national"


class Tier(StrEnum):
    """Field sensitivity tiers."""

    STANDARD = "standard"  # coded context: forms, dates, places at country/province level
    IDENTIFYING = "identifying"  # names, dates of birth, contacts, identity numbers, addresses
    HIGHLY_SENSITIVE = "highly_sensitive"  # health, sexual exploitation details, shelter locations


# role -> {(resource, action): scope}. Deny by default.
RULES: dict[str, dict[tuple[str, str], Scope]] = {
    Role.CASEWORKER: {
        ("case", "list"): Scope.TEAM,
        ("case", "view"): Scope.TEAM,
        ("case", "create"): Scope.AGENCY,
        ("case", "update"): Scope.TEAM,
        ("case", "screen"): Scope.TEAM,
        ("case", "import"): Scope.AGENCY,
    },
    Role.SUPERVISOR: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "create"): Scope.AGENCY,
        ("case", "update"): Scope.AGENCY,
        ("case", "screen"): Scope.AGENCY,
        ("case", "import"): Scope.AGENCY,
        ("case", "view_access_log"): Scope.AGENCY,
    },
    Role.AGENCY_ADMIN: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "import"): Scope.AGENCY,
        ("user", "manage"): Scope.AGENCY,
    },
    Role.NATIONAL_COORDINATOR: {
        ("case", "list"): Scope.NATIONAL,
        ("case", "view"): Scope.NATIONAL,
        ("case", "import"): Scope.NATIONAL,  # loads the national database from agencies' files
        ("statistics", "view"): Scope.NATIONAL,
    },
    Role.ANALYST: {
        ("statistics", "view"): Scope.NATIONAL,
    },
    Role.LIAISON: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
    },
    Role.REPORTER: {
        ("report", "submit"): Scope.OWN,
    },
    Role.AUDITOR: {
        ("audit", "view"): Scope.NATIONAL,
        ("audit", "export"): Scope.NATIONAL,
    },
    Role.SYSADMIN: {
        ("configuration", "manage"): Scope.NATIONAL,
        ("user", "manage"): Scope.NATIONAL,
    },
}

# Which field tiers each role may read on a case it may view.
FIELD_TIERS: dict[str, frozenset[Tier]] = {
    Role.CASEWORKER: frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE}),
    Role.SUPERVISOR: frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE}),
    Role.AGENCY_ADMIN: frozenset({Tier.STANDARD}),
    Role.NATIONAL_COORDINATOR: frozenset({Tier.STANDARD}),
    Role.LIAISON: frozenset({Tier.STANDARD, Tier.IDENTIFYING}),
}

# Roles that can ever see identifying data must sign in with a second factor.
def requires_second_factor(user: User) -> bool:
    return Tier.IDENTIFYING in FIELD_TIERS.get(user.role, frozenset()) or (
        user.role == Role.SYSADMIN and user.can_see_case_content
    )


def _rules(user: User) -> dict[tuple[str, str], Scope]:
    if not user.is_active:
        return {}
    rules = dict(RULES.get(user.role, {}))
    if user.role == Role.SYSADMIN and user.can_see_case_content:
        rules.update(RULES[Role.SUPERVISOR])
    return rules


def scope_for(user: User, resource: str, action: str) -> Scope | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return _rules(user).get((resource, action))


def allows(user: User, resource: str, action: str) -> bool:
    return scope_for(user, resource, action) is not None


def field_tiers(user: User) -> frozenset[Tier]:
    tiers = FIELD_TIERS.get(user.role, frozenset())
    if user.role == Role.SYSADMIN and user.can_see_case_content:
        tiers = FIELD_TIERS[Role.SUPERVISOR]
    return tiers


def may_read(user: User, tier: Tier) -> bool:
    return tier in field_tiers(user)


def _case_filter(user: User, scope: Scope) -> Q | None:
    """A Q object selecting the cases in ``scope`` for ``user``; None means nothing."""
    if scope is Scope.NATIONAL:
        return Q()
    if scope is Scope.OWN:
        return Q(owner_id=user.pk)
    if user.agency_id is None:
        return None
    if scope is Scope.TEAM:
        if user.team_id is None:
            return Q(agency_id=user.agency_id, owner_id=user.pk)
        return Q(agency_id=user.agency_id) & (Q(team_id=user.team_id) | Q(owner_id=user.pk))
    if scope is Scope.AGENCY:
        return Q(agency_id=user.agency_id)
    if scope is Scope.AREA:
        if user.area is None:
            return None
        return Q(area_id__in=user.area.descendant_ids())
    return None


def scope_cases(user: User, action: str, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases ``user`` may ``action``, filtered in the database (deny by default)."""
    from lantern.cases.models import Case

    qs = qs if qs is not None else Case.objects.all()
    scope = scope_for(user, "case", action)
    if scope is None:
        return qs.none()
    q = _case_filter(user, scope)
    return qs.none() if q is None else qs.filter(q)


def case_allows(user: User, action: str, case: Case) -> bool:
    return scope_cases(user, action).filter(pk=case.pk).exists()


def navigation(user: User) -> list[dict[str, Any]]:
    """The menu a role sees; hiding an entry is convenience, never the check."""
    items: list[dict[str, Any]] = []
    if allows(user, "case", "list"):
        items.append({"label": _("Cases"), "url": reverse("web:case_list")})
    if allows(user, "audit", "view"):
        items.append({"label": _("Audit trail"), "url": reverse("web:audit_list")})
    return items
