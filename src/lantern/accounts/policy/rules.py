"""The rules table: role x (resource, action) -> scope, deny by default; who reads which tiers.

``scope_cases`` filters cases in the database for a role's scope; every other resource is
scoped in ``records``, and consent to share in ``consent``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from lantern.accounts.models import Role
from lantern.accounts.policy.fields import Tier, tier_of

if TYPE_CHECKING:
    from lantern.accounts.models import User
    from lantern.cases.models import Case


class Scope(StrEnum):
    OWN = "own"
    TEAM = "team"
    AGENCY = "agency"
    AREA = "area"
    NATIONAL = "national"


# role -> {(resource, action): scope}. Deny by default.
RULES: dict[str, dict[tuple[str, str], Scope]] = {
    Role.CASEWORKER: {
        ("case", "list"): Scope.TEAM,
        ("case", "view"): Scope.TEAM,
        ("case", "create"): Scope.AGENCY,
        ("case", "update"): Scope.TEAM,
        ("case", "screen"): Scope.TEAM,
        ("case", "import"): Scope.AGENCY,
        ("case", "refer"): Scope.TEAM,
        # protection workflow (lantern.cases.workflow, lantern.cases.services)
        ("case", "transition"): Scope.TEAM,
        ("case", "protect"): Scope.TEAM,
        ("referral", "respond"): Scope.AGENCY,  # referrals sent to one's own agency
        ("tracing", "manage"): Scope.AGENCY,
        ("safe_place", "manage"): Scope.AGENCY,
        ("safe_place", "view"): Scope.AGENCY,
        ("safe_place", "use"): Scope.AGENCY,  # place a child there: the agency's own places
        ("safe_place", "locate"): Scope.AGENCY,  # the address, on a need to know
        ("organisation", "view"): Scope.NATIONAL,  # the referral directory
        ("worklist", "view"): Scope.OWN,
        ("person", "search"): Scope.TEAM,  # search before create: details only within scope
        ("tracing", "match"): Scope.TEAM,  # tracing requests against consenting children
        # the triage queue (lantern.protection.triage): the agency's reports wait for whoever
        # is on duty, so the queue is the agency's, not a team's; no names are shown in it
        ("triage", "view"): Scope.AGENCY,
        ("triage", "take"): Scope.AGENCY,
        ("triage", "handle"): Scope.AGENCY,
    },
    Role.SUPERVISOR: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "create"): Scope.AGENCY,
        ("case", "update"): Scope.AGENCY,
        ("case", "screen"): Scope.AGENCY,
        ("case", "import"): Scope.AGENCY,
        ("case", "refer"): Scope.AGENCY,
        ("case", "view_access_log"): Scope.AGENCY,
        # protection workflow
        ("case", "transition"): Scope.AGENCY,
        ("case", "protect"): Scope.AGENCY,
        ("case", "transfer"): Scope.AGENCY,
        ("case", "assign"): Scope.AGENCY,  # give a case an owner (lantern.cases.assignment)
        # record a formal determination (police, prosecution, court): it makes the child an
        # "Actual victim", so the one who signs off the case's work checks the decision itself
        # (lantern.cases.determination); caseworkers screen, which gives "Possible" only.
        ("case", "determine"): Scope.AGENCY,
        # approve or return a caseworker's request to close a case, after its checklist
        # (lantern.protection.closure); only an approved request closes a case
        ("case", "approve_closure"): Scope.AGENCY,
        ("care_plan", "approve"): Scope.AGENCY,
        ("referral", "override_consent"): Scope.AGENCY,
        ("referral", "respond"): Scope.AGENCY,
        ("intake", "view_reporter"): Scope.AGENCY,  # a community reporter's identity (ETH-02)
        ("tracing", "manage"): Scope.AGENCY,
        ("safe_place", "manage"): Scope.AGENCY,
        ("safe_place", "view"): Scope.AGENCY,
        ("safe_place", "use"): Scope.AGENCY,
        ("safe_place", "locate"): Scope.AGENCY,
        ("organisation", "view"): Scope.NATIONAL,
        ("organisation", "manage"): Scope.AGENCY,  # the agency's own directory entries
        ("exchange", "import"): Scope.AGENCY,
        ("worklist", "view"): Scope.OWN,
        ("caseload", "view"): Scope.AGENCY,
        ("person", "search"): Scope.AGENCY,
        ("tracing", "match"): Scope.AGENCY,
        ("linkage", "review"): Scope.AGENCY,  # pairs touching the agency; names only in scope
        # triage: the supervisor chooses the duty officer and receives what is overdue
        ("triage", "view"): Scope.AGENCY,
        ("triage", "take"): Scope.AGENCY,
        ("triage", "handle"): Scope.AGENCY,
        ("triage", "assign"): Scope.AGENCY,
    },
    Role.AGENCY_ADMIN: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "import"): Scope.AGENCY,
        ("safe_place", "view"): Scope.AGENCY,
        ("organisation", "view"): Scope.NATIONAL,
        ("organisation", "manage"): Scope.AGENCY,  # the agency's own directory entries
        ("user", "manage"): Scope.AGENCY,
    },
    Role.NATIONAL_COORDINATOR: {
        ("case", "list"): Scope.NATIONAL,
        ("case", "view"): Scope.NATIONAL,
        ("case", "import"): Scope.NATIONAL,  # loads the national database from agencies' files
        ("statistics", "view"): Scope.NATIONAL,
        ("statistics", "refresh"): Scope.NATIONAL,  # rebuild the mart from the page (a job)
        ("statistics", "export"): Scope.NATIONAL,  # k-anonymised microdata (CTDC shape)
        ("safe_place", "view"): Scope.NATIONAL,  # names and capacity, never the address
        ("organisation", "view"): Scope.NATIONAL,
        # the directory (lantern.directory): entries of organisations with no account here,
        # the review of every agency's entries, and the map of areas no service covers
        ("organisation", "manage"): Scope.NATIONAL,
        ("organisation", "approve"): Scope.NATIONAL,
        ("directory", "coverage"): Scope.NATIONAL,
        ("linkage", "run"): Scope.NATIONAL,  # reads names to link them; writes back keys only
        ("linkage", "review"): Scope.NATIONAL,  # decides from match evidence, without names
        # the national response (#18): the plan, its programmes and targets; agreements and
        # MoUs; readmission requests read nationally (lantern.response)
        ("programme", "view"): Scope.NATIONAL,
        ("programme", "manage"): Scope.NATIONAL,
        ("plan", "view"): Scope.NATIONAL,
        ("cooperation", "view"): Scope.NATIONAL,
        ("cooperation", "manage"): Scope.NATIONAL,
        ("readmission", "view"): Scope.NATIONAL,
    },
    Role.ANALYST: {
        ("statistics", "view"): Scope.NATIONAL,
        ("statistics", "export"): Scope.NATIONAL,  # k-anonymised microdata (CTDC shape)
        ("programme", "view"): Scope.NATIONAL,  # progress against targets: aggregate figures
        ("plan", "view"): Scope.NATIONAL,
        ("statistics", "refresh"): Scope.NATIONAL,  # rebuild the mart from the page (a job)
    },
    Role.LIAISON: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "refer"): Scope.AGENCY,  # cross-border referral packets
        ("case", "transfer"): Scope.AGENCY,
        ("exchange", "import"): Scope.AGENCY,
        ("tracing", "match"): Scope.AGENCY,  # cross-border family tracing
        ("safe_place", "view"): Scope.AGENCY,
        ("organisation", "view"): Scope.NATIONAL,
        # cross-border cooperation (#18): the agreements, and the agency's readmission requests
        ("cooperation", "view"): Scope.NATIONAL,
        ("readmission", "view"): Scope.AGENCY,
        ("readmission", "manage"): Scope.AGENCY,
    },
    Role.REPORTER: {
        ("report", "submit"): Scope.OWN,  # a community report opens a case it cannot read
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

# The perpetrator register and the justice chain (lantern.perpetrators, #17). The register is
# national (one trafficker behind many agencies' cases), so it is read only by roles that read
# identities and work with the police: supervisors and the (police) liaison; which of the cases
# it names they see is their case scope. Caseworkers add what a child tells them about a
# trafficker on a case they may update ("report") without seeing or searching the register.
_REGISTER_WORK = {  # the register worked nationally: read, identifiers, the justice chain
    ("perpetrator", "list"): Scope.NATIONAL,
    ("perpetrator", "view"): Scope.NATIONAL,
    ("perpetrator", "record"): Scope.NATIONAL,  # identifiers, on a record it views
    ("justice", "record"): Scope.NATIONAL,  # arrests, charges, verdicts
}
PERPETRATOR_RULES: dict[str, dict[tuple[str, str], Scope]] = {
    Role.CASEWORKER: {("perpetrator", "report"): Scope.TEAM},
    Role.SUPERVISOR: {("perpetrator", "report"): Scope.AGENCY, **_REGISTER_WORK},
    Role.LIAISON: _REGISTER_WORK,
    # The police's liaison officer works the register (identifiers, links across agencies,
    # arrests); a prosecutor reads it and records charges, prosecutions and verdicts. Neither
    # reads a child's case: the cases a trafficker is in are counted for them, never shown.
    Role.POLICE: _REGISTER_WORK,
    Role.PROSECUTOR: {
        ("perpetrator", "list"): Scope.NATIONAL,
        ("perpetrator", "view"): Scope.NATIONAL,
        ("justice", "record"): Scope.NATIONAL,
    },
}
# Community prevention (lantern.response.community, #18): the at-risk register is read and kept
# by case supervisors only (a child at risk is no case; caseworkers refer through them); the
# committees' facilitators record what their groups saw (their own committees: OWN), and the
# report enters the triage queue as a community report does; campaigns are seen nationally so
# that nobody repeats one in the same area; labour inspections are the inspecting agency's.
COMMUNITY_RULES: dict[str, dict[tuple[str, str], Scope]] = {
    Role.CASEWORKER: {
        ("committee", "view"): Scope.AGENCY,
        ("campaign", "view"): Scope.NATIONAL,
        ("inspection", "view"): Scope.AGENCY,
        ("inspection", "record"): Scope.AGENCY,
    },
    Role.SUPERVISOR: {
        ("atrisk", "view"): Scope.AGENCY,
        ("atrisk", "manage"): Scope.AGENCY,
        ("committee", "view"): Scope.AGENCY,
        ("committee", "manage"): Scope.AGENCY,
        ("campaign", "view"): Scope.NATIONAL,
        ("campaign", "manage"): Scope.AGENCY,
        ("inspection", "view"): Scope.AGENCY,
        ("inspection", "record"): Scope.AGENCY,
    },
    Role.AGENCY_ADMIN: {("campaign", "view"): Scope.NATIONAL},
    Role.NATIONAL_COORDINATOR: {
        ("committee", "view"): Scope.NATIONAL,  # without members' names (standard tier only)
        ("campaign", "view"): Scope.NATIONAL,
        ("campaign", "manage"): Scope.NATIONAL,
        ("inspection", "view"): Scope.NATIONAL,
    },
    Role.LIAISON: {("campaign", "view"): Scope.NATIONAL},
    Role.FACILITATOR: {
        ("report", "submit"): Scope.OWN,  # the group's report opens a case it cannot read
        ("committee", "view"): Scope.OWN,  # the committees they facilitate
        ("committee", "report"): Scope.OWN,
        ("campaign", "view"): Scope.NATIONAL,
    },
}


def _merge(*blocks: dict[str, dict[tuple[str, str], Scope]]) -> None:
    """Add each domain's block of grants to ``RULES``, refusing (at import) a block that would
    change a scope another block or the table already gives: a grant is stated once."""
    for block in blocks:
        for role, grants in block.items():
            held = RULES.setdefault(role, {})
            clash = sorted(k for k, scope in grants.items() if held.get(k, scope) != scope)
            if clash:
                raise ValueError(f"{role}: {clash} already granted with another scope")
            held.update(grants)


_merge(PERPETRATOR_RULES, COMMUNITY_RULES)

# The HTCDS 2.0 bulk export (#16, lantern.cases.exporting): the cases one may view, to move an
# agency's records to another installation or system; identifying fields only for the roles
# that read them (FIELD_TIERS), the others left out and named in the file. Caseworkers and the
# liaison move single cases (packets), not files of them.
CASE_EXPORT_RULES: dict[str, dict[tuple[str, str], Scope]] = {
    Role.SUPERVISOR: {("case", "export"): Scope.AGENCY},
    Role.AGENCY_ADMIN: {("case", "export"): Scope.AGENCY},
    Role.NATIONAL_COORDINATOR: {("case", "export"): Scope.NATIONAL},
}
_merge(CASE_EXPORT_RULES)

# What a system administrator gains when granted case content (``can_see_case_content``):
# read-only, so that fixing a broken import never needs a caseworker's password; 2FA and audit
# still apply. Without the grant a system administrator sees no case at all.
GRANTED_CASE_CONTENT: dict[tuple[str, str], Scope] = {
    ("case", "list"): Scope.NATIONAL,
    ("case", "view"): Scope.NATIONAL,
    ("safe_place", "view"): Scope.NATIONAL,
    ("safe_place", "locate"): Scope.NATIONAL,  # where a child it may view is placed now
    ("organisation", "view"): Scope.NATIONAL,
}

# Which field tiers each role may read on a case it may view.
FIELD_TIERS: dict[str, frozenset[Tier]] = {
    Role.CASEWORKER: frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE}),
    Role.SUPERVISOR: frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE}),
    Role.AGENCY_ADMIN: frozenset({Tier.STANDARD}),
    Role.NATIONAL_COORDINATOR: frozenset({Tier.STANDARD}),
    Role.LIAISON: frozenset({Tier.STANDARD, Tier.IDENTIFYING}),
    # the register's identifiers (names, phones, vehicles) are identifying; no case is viewed
    Role.POLICE: frozenset({Tier.STANDARD, Tier.IDENTIFYING}),
    Role.PROSECUTOR: frozenset({Tier.STANDARD, Tier.IDENTIFYING}),
}
GRANTED_TIERS = frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE})


# Roles that can ever see identifying data must sign in with a second factor.
def requires_second_factor(user: User) -> bool:
    return Tier.IDENTIFYING in field_tiers(user)


def _granted(user: User) -> bool:
    return user.role == Role.SYSADMIN and bool(user.can_see_case_content)


def _rules(user: User) -> dict[tuple[str, str], Scope]:
    if not user.is_active:
        return {}
    rules = dict(RULES.get(user.role, {}))
    if _granted(user):
        rules.update(GRANTED_CASE_CONTENT)
    return rules


def scope_for(user: User, resource: str, action: str) -> Scope | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return _rules(user).get((resource, action))


def allows(user: User, resource: str, action: str) -> bool:
    return scope_for(user, resource, action) is not None


def field_tiers(user: User) -> frozenset[Tier]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if _granted(user):
        return GRANTED_TIERS
    return FIELD_TIERS.get(user.role, frozenset())


def may_read(user: User, tier: Tier) -> bool:
    return tier in field_tiers(user)


def may_read_field(user: User, field: str) -> bool:
    """May ``user`` read ``"model.field"`` on a record it may view?"""
    return may_read(user, tier_of(field))


def model(label: str) -> Any:
    """A model by its label, from Django's app registry: the policy sits below the domain
    packages whose records it scopes, so it names their models and never imports them."""
    from django.apps import apps

    return apps.get_model(label)


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
    qs = qs if qs is not None else model("cases.Case").objects.all()
    scope = scope_for(user, "case", action)
    if scope is None:
        return qs.none()
    q = _case_filter(user, scope)
    return qs.none() if q is None else qs.filter(q)


def case_allows(user: User, action: str, case: Case) -> bool:
    return scope_cases(user, action).filter(pk=case.pk).exists()
