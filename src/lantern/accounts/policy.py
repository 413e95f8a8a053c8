"""The one policy layer: who may do what, to which records, and see which fields.

Every page, API endpoint, export, command and task asks these functions; nothing else decides.
Rules are one table (``RULES``): role x (resource, action) -> scope. Anything not in the table
is denied. List queries are filtered in the database (``scope_cases``), and a record outside
one's scope is answered as if it did not exist (callers raise 404, never 403).
"""

from __future__ import annotations

from dataclasses import dataclass
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
        ("exchange", "import"): Scope.AGENCY,
        ("worklist", "view"): Scope.OWN,
        ("caseload", "view"): Scope.AGENCY,
        ("person", "search"): Scope.AGENCY,
        ("tracing", "match"): Scope.AGENCY,
        ("linkage", "review"): Scope.AGENCY,  # pairs touching the agency; names only in scope
    },
    Role.AGENCY_ADMIN: {
        ("case", "list"): Scope.AGENCY,
        ("case", "view"): Scope.AGENCY,
        ("case", "import"): Scope.AGENCY,
        ("safe_place", "view"): Scope.AGENCY,
        ("organisation", "view"): Scope.NATIONAL,
        ("user", "manage"): Scope.AGENCY,
    },
    Role.NATIONAL_COORDINATOR: {
        ("case", "list"): Scope.NATIONAL,
        ("case", "view"): Scope.NATIONAL,
        ("case", "import"): Scope.NATIONAL,  # loads the national database from agencies' files
        ("statistics", "view"): Scope.NATIONAL,
        ("safe_place", "view"): Scope.NATIONAL,  # names and capacity, never the address
        ("organisation", "view"): Scope.NATIONAL,
        ("linkage", "run"): Scope.NATIONAL,  # reads names to link them; writes back keys only
        ("linkage", "review"): Scope.NATIONAL,  # decides from match evidence, without names
    },
    Role.ANALYST: {
        ("statistics", "view"): Scope.NATIONAL,
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
}
GRANTED_TIERS = frozenset({Tier.STANDARD, Tier.IDENTIFYING, Tier.HIGHLY_SENSITIVE})

# The sensitivity of each stored field ("model.field", lower case); unlisted fields are standard.
# Identifying and highly sensitive fields must be encrypted at rest (a test holds the models to
# this), so a new field such as a shelter location is classified here when it is added. Every
# text field of every model is either tiered here or listed in CLEAR_BY_DESIGN below
# (tests/security/test_classification.py fails on a field that is neither).
FIELD_SENSITIVITY: dict[str, Tier] = {
    "person.given_name": Tier.IDENTIFYING,
    "person.family_name": Tier.IDENTIFYING,
    "person.nickname": Tier.IDENTIFYING,
    "person.birthdate": Tier.IDENTIFYING,
    "person.identity_number": Tier.IDENTIFYING,
    "person.contact": Tier.IDENTIFYING,
    "person.address": Tier.IDENTIFYING,
    "person.home_city": Tier.IDENTIFYING,
    # Coded, so monitoring can count them; shown only to roles reading highly sensitive data.
    "case.sex_exploitation_types": Tier.HIGHLY_SENSITIVE,
    # protection workflow (lantern.cases.models): encrypted at rest
    "safeplace.address": Tier.HIGHLY_SENSITIVE,
    "intake.reporter_name": Tier.IDENTIFYING,
    "intake.reporter_contact": Tier.IDENTIFYING,
    "intake.notes": Tier.HIGHLY_SENSITIVE,
    "riskassessment.notes": Tier.HIGHLY_SENSITIVE,
    "careplan.goals": Tier.HIGHLY_SENSITIVE,
    "careplan.child_views": Tier.HIGHLY_SENSITIVE,
    "tracingrequest.requester_name": Tier.IDENTIFYING,
    "tracingrequest.requester_contact": Tier.IDENTIFYING,
    "tracingrequest.sought_given_name": Tier.IDENTIFYING,
    "tracingrequest.sought_family_name": Tier.IDENTIFYING,
    "tracingrequest.sought_home": Tier.IDENTIFYING,
    "familyassessment.findings": Tier.HIGHLY_SENSITIVE,
    "legalproceeding.lawyer_name": Tier.IDENTIFYING,
    "legalproceeding.notes": Tier.HIGHLY_SENSITIVE,
    "legalproceeding.accompaniment": Tier.IDENTIFYING,
    "proceedingevent.accompanied_by": Tier.IDENTIFYING,
    "proceedingevent.outcome": Tier.HIGHLY_SENSITIVE,
    "followupvisit.notes": Tier.HIGHLY_SENSITIVE,
    # Free-text reasons: whatever a worker writes about the child (a medical emergency, a
    # family's part), so encrypted and read at the highly sensitive tier. Audit entries refer
    # to them by id; they never copy them.
    "casetransition.reason": Tier.HIGHLY_SENSITIVE,
    "intake.referral_reason": Tier.HIGHLY_SENSITIVE,
    "referral.override_reason": Tier.HIGHLY_SENSITIVE,
    "referral.response_reason": Tier.HIGHLY_SENSITIVE,
    "referral.completion_note": Tier.HIGHLY_SENSITIVE,
    "tracingrequest.decision_reason": Tier.HIGHLY_SENSITIVE,
    "reviewdecision.reason": Tier.HIGHLY_SENSITIVE,
    # Read by the liaisons who move a case across a border (identifying tier, not health).
    "transfer.reason": Tier.IDENTIFYING,
}

# Text fields kept in clear on purpose: codes, references, statuses, hashes, coarse places and
# staff or organisation data (no child's identity). A tiered field listed here is a deliberate
# exception to "identifying and highly sensitive fields are encrypted".
CLEAR_BY_DESIGN = frozenset(
    {
        # Coded exploitation types: tiered above, clear so that the mart and monitoring count them.
        "case.sex_exploitation_types",
        # accounts: staff and the organisation's structure, not children
        "area.code",
        "area.name",
        "agency.code",
        "agency.name",
        "agency.type",
        "agency.country",
        "team.name",
        "user.password",  # a salted hash
        "user.username",  # looked up at sign-in
        "user.first_name",  # staff names: accountability, not a child's identity
        "user.last_name",
        "user.email",
        "user.role",
        "apitoken.name",  # the owner's label for a token
        "apitoken.prefix",
        "apitoken.digest",  # a hash of the token
        # audit: who did what to which record id; the chain hashes them. Reasons are
        # references and counts ("transition 12"), never a worker's free text.
        "auditentry.username",
        "auditentry.role",
        "auditentry.agency",
        "auditentry.action",
        "auditentry.resource",
        "auditentry.record_id",
        "auditentry.fields",  # field names, not values
        "auditentry.reason",
        "auditentry.source",
        "auditentry.prev_hash",
        "auditentry.hash",
        "audithead.hash",
        "audithead.mac",
        # person: codes, and the province monitoring counts by
        "person.name_script",
        "person.identity_number_index",  # a keyed hash (blind index) for exact look-up
        "person.home_state",
        "person.home_country",
        "person.gender",
        "person.citizenship",
        "person.primary_language",
        # case: references and coded context the mart counts
        "case.source_record_id",  # the agency's record id: re-imports must find it
        "case.reference",
        "case.intake_channel",
        "case.state",
        "case.status",
        "case.outcome",
        "case.trafficking_status",
        "case.trafficking_status_decided_by",
        "case.relationship_to_trafficker",
        "case.age_evidence",
        "case.age_group",
        "case.gender",
        "case.citizenship",
        "case.method_of_recruitment",
        "case.methods_of_control",
        "case.forms_of_exploitation",
        "case.primary_form",
        "case.vulnerabilities",
        "case.source_digest",  # a hash of the imported row
        # the journey: codes and places at city level, as the mart publishes them coarsened
        "traffickingevent.type",
        "traffickingevent.country",
        "traffickingevent.state",
        "traffickingevent.city",
        "traffickingevent.transport",
        "traffickingevent.crossing",
        "exploitation.form",
        "exploitation.isic_section",
        "exploitation.country",
        "actor.ref",  # an agency's reference for a perpetrator, never a name
        "actor.network_ref",
        "actorrole.role",
        "actorrole.relationship",
        "consent.item",
        "consent.given_by",
        # the directory: organisations' own public details
        "organisation.name",
        "organisation.type",
        "organisation.country",
        "organisation.services",
        "organisation.contact",  # the organisation's contact, not a child's
        "safeplace.name",  # an unrevealing label; the address is encrypted
        "safeplace.kind",
        # intake: coded triage, and who handed the child over (units, organisations)
        "intake.channel",
        "intake.place",  # a transit point or district, as coarse as the journey's places
        "intake.concerns",
        "intake.severity",
        "intake.expected_contact",  # a relation ("uncle"), at most 40 characters
        "intake.return_passage_provider",
        "intake.rescuing_unit",
        "intake.referring_organisation",
        # workflow codes and statuses
        "casetransition.from_state",
        "casetransition.to_state",
        "riskassessment.immediate_needs",
        "riskassessment.risk_to_child",
        "riskassessment.risk_to_family",
        "riskassessment.risk_to_helpers",
        "riskassessment.level",
        "careplan.needs",
        "careplan.due_dates",
        "careplan.status",
        "referral.services",
        "referral.fields_shared",  # field names, not values
        "referral.consent_basis",
        "referral.status",
        "agreement.reference",
        "agreement.title",
        "agreement.partner_country",
        "agreement.allowed_fields",
        "agreement.partner_name",  # the partner installation, an institution
        "agreement.partner_sign_key",  # public keys and their fingerprint
        "agreement.partner_box_key",
        "agreement.partner_fingerprint",
        "transfer.direction",
        "transfer.installation",  # the other installation's key fingerprint
        "transfer.packet_digest",
        "transfer.status",
        "tracingrequest.requester_relation",
        "tracingrequest.status",
        "tracingrequest.rejected_cases",  # case ids
        "familyassessment.retrafficking_risk",
        "familyassessment.decision",
        "legalproceeding.kind",
        "legalproceeding.status",
        "legalproceeding.testimony_measures",
        "proceedingevent.kind",
        "proceedingevent.place",  # a court or office, never the child's whereabouts
        "proceedingevent.testimony_measures",
        "followupvisit.kind",
        "followupvisit.wellbeing",  # the instrument's item scores, counted by monitoring
        "followupvisit.retrafficking_risk",
        # screening: the coded facts screened and the rule set's answer, no names
        "screeningresult.input",
        "screeningresult.result",
        "screeningresult.trafficking",
        "screeningresult.status",
        "screeningresult.status_change",
        "screeningresult.ruleset_version",
        "screeningresult.trafficking_status",
        "screeningresult.decided_by_org",
        "indicatorobservation.indicator_id",
        # linkage: run parameters, pseudonymous keys and agreement levels, no names
        "linkrun.backend",
        "linkrun.model",
        "personlink.cluster_key",
        "matchpair.evidence",
    }
)


def tier_of(field: str) -> Tier:
    """The sensitivity tier of ``"model.field"`` (standard unless classified)."""
    return FIELD_SENSITIVITY.get(field.lower(), Tier.STANDARD)


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


# --- every other resource ----------------------------------------------------------------------
# Objects other than cases are fetched and listed only through ``scoped`` and ``get_or_404``,
# so that a shelter, a referral or a tracing request an id names is checked like a case is, and
# an object another agency holds answers as if it did not exist (its id reveals nothing).

# Records that belong to one case: in scope exactly when their case is, for the same action.
CASE_RECORDS: dict[str, str] = {
    "care_plan": "cases.CarePlan",
    "legal_proceeding": "cases.LegalProceeding",
    "followup_visit": "cases.FollowUpVisit",
    "placement": "cases.Placement",
}
# Records an agency holds: resource -> (model, the path from it to the holding agency).
AGENCY_RECORDS: dict[str, tuple[str, str]] = {
    "safe_place": ("cases.SafePlace", "agency_id"),
    "tracing": ("cases.TracingRequest", "agency_id"),
    "referral": ("cases.Referral", "organisation__agency_id"),
    "organisation": ("cases.Organisation", "agency_id"),
}
MAX_ID = 2**63 - 1  # ids beyond a database integer name nothing (never an overflow error)


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def _agency_filter(user: User, scope: Scope, field: str) -> Q | None:
    """A Q selecting an agency's records for ``scope`` (team and own scopes see the agency's:
    a shelter or a tracing request belongs to the agency, not to a team)."""
    if scope is Scope.NATIONAL:
        return Q()
    if user.agency_id is None or scope is Scope.AREA:
        return None
    return Q(**{field: user.agency_id})


def _placed_now(user: User) -> Q:
    """Places where a child whose case ``user`` may view is placed now."""
    placement = _model("cases.Placement")
    current = placement.objects.filter(end__isnull=True, case__in=scope_cases(user, "view"))
    return Q(pk__in=current.values("place_id"))


def _special(user: User, resource: str, action: str, scope: Scope) -> Q | None:
    """Resources whose scope is more than their agency's: need to know, or the case's team."""
    if resource == "safe_place" and action in ("view", "locate"):
        # Its name (view): national scopes see every place. Its address (locate): never every
        # place; tiers are checked by ``safety.may_see_location``. Otherwise both are the
        # running agency's own places, and any where a child the user may view is placed now.
        if scope is Scope.NATIONAL and action == "view":
            return Q()  # (an empty Q would vanish from an OR, not select everything)
        if user.agency_id is None or scope in (Scope.NATIONAL, Scope.AREA):
            return _placed_now(user)
        return Q(agency_id=user.agency_id) | _placed_now(user)
    return None


def _answerable(user: User) -> Q:
    """Referrals ``user`` answers: as staff of the receiving agency (("referral", "respond")),
    or, for an organisation with no account here, as the referring team recording its answer."""
    external = Q(organisation__agency__isnull=True, case__in=scope_cases(user, "refer"))
    scope = scope_for(user, "referral", "respond")
    own = None if scope is None else _agency_filter(user, scope, "organisation__agency_id")
    return external if own is None else own | external


def scoped(user: User, resource: str, action: str) -> QuerySet[Any]:
    """The ``resource`` records ``user`` may ``action``, filtered in the database.

    Deny by default: a resource or action the table does not grant gives an empty queryset.
    """
    if resource == "case":
        return scope_cases(user, action)
    if resource in CASE_RECORDS:
        model = _model(CASE_RECORDS[resource])
        return model.objects.filter(case__in=scope_cases(user, action))
    if resource == "match_pair":
        # A pair of records the linkage scored: reviewed where either child's case is in view
        # (a national scope reviews every pair, from evidence without names).
        model = _model("linkage.MatchPair")
        scope = scope_for(user, "linkage", action)
        if scope is None:
            return model.objects.none()
        if scope is Scope.NATIONAL:
            return model.objects.all()
        mine = scope_cases(user, "view").values_list("person_id", flat=True)
        return model.objects.filter(Q(person_a_id__in=mine) | Q(person_b_id__in=mine))
    if resource == "referral" and action in ("view", "respond"):
        # Viewed by the referring side (the case's viewers) and the receiving side alike.
        model = _model("cases.Referral")
        seen = _answerable(user)
        if action == "view":
            seen |= Q(case__in=scope_cases(user, "view"))
        return model.objects.filter(seen)
    label, field = AGENCY_RECORDS[resource]
    model = _model(label)
    scope = scope_for(user, resource, action)
    if scope is None:
        return model.objects.none()
    q = _special(user, resource, action, scope)
    if q is None:
        q = _agency_filter(user, scope, field)
    return model.objects.none() if q is None else model.objects.filter(q)


def scoped_get(user: User, resource: str, action: str, pk: Any) -> Any | None:
    """The ``resource`` record ``pk`` if ``user`` may ``action`` it, else None (a missing record
    and one out of scope are the same answer). For referenced objects: the caller says which
    field named it, as for any id that does not exist."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < key <= MAX_ID:
        return None
    rows = scoped(user, resource, action)
    if resource == "case":
        rows = rows.select_related("agency", "person")
    return rows.filter(pk=key).first()


def get_or_404(user: User, resource: str, action: str, pk: Any) -> Any:
    """The ``resource`` record ``pk`` if ``user`` may ``action`` it; 404 otherwise, never 403."""
    from django.http import Http404

    row = scoped_get(user, resource, action, pk)
    if row is None:
        raise Http404(f"No such {resource.replace('_', ' ')}")
    return row


# Sharing purpose -> the consent item (lantern.taxonomy consent_items) that must be "yes".
SHARING_CONSENT: dict[str, str] = {
    "referral": "referral_sharing",
    "cross_border_referral": "referral_sharing",
    "family_tracing": "family_tracing",
    "research": "research_use",
}


@dataclass(frozen=True)
class ShareDecision:
    """Whether a case may be shared for a purpose, and why (shown to the caseworker)."""

    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def may_share(user: User, case: Case, purpose: str) -> ShareDecision:
    """May ``user`` share ``case`` for ``purpose``? Scope first, then the child's consent.

    Consent is never presumed: unknown is no, and any recorded refusal (child or guardian)
    outweighs a yes, because a guardian may be the one who sold the child.
    """
    item = SHARING_CONSENT.get(purpose)
    if item is None:
        return ShareDecision(
            False,
            f"unknown sharing purpose {purpose!r}; purposes: {', '.join(sorted(SHARING_CONSENT))}",
        )
    if not case_allows(user, "refer", case):
        return ShareDecision(False, "the case is not in your scope for referral")
    from lantern.cases.models import Consent

    values = set(Consent.objects.filter(case=case, item=item).values_list("value", flat=True))
    if False in values:
        return ShareDecision(False, f"consent to {item} was refused")
    if True not in values:
        return ShareDecision(False, f"no consent to {item} is recorded")
    return ShareDecision(True, f"consent to {item} is recorded")


# Who may vouch for a referral: the consent basis -> who must have said yes (Consent.given_by).
REFERRAL_BASES: dict[str, str] = {"child_assent": "child", "guardian_consent": "guardian"}
MIN_OVERRIDE_REASON = 20  # characters: an override is explained, not waved through


def may_refer(user: User, case: Case, basis: str, reason: str = "") -> ShareDecision:
    """May ``user`` refer ``case`` on ``basis`` (child_assent, guardian_consent or override)?

    The basis is checked against what is recorded, never against what the request claims:
    assent or consent must be a recorded yes from that person, and any recorded refusal of
    referral sharing blocks it. Only a role the table allows ("referral", "override_consent")
    may override a refusal or a missing consent, and only with a written reason.
    """
    if not case_allows(user, "refer", case):
        return ShareDecision(False, "the case is not in your scope for referral")
    if basis == "override":
        if scope_for(user, "referral", "override_consent") is None:
            return ShareDecision(False, "your role may not override consent")
        if len(reason.strip()) < MIN_OVERRIDE_REASON:
            return ShareDecision(
                False, f"an override needs a reason of at least {MIN_OVERRIDE_REASON} characters"
            )
        return ShareDecision(True, "consent overridden by an authorised role, with a reason")
    who = REFERRAL_BASES.get(basis)
    if who is None:
        bases = ", ".join([*REFERRAL_BASES, "override"])
        return ShareDecision(False, f"unknown consent basis {basis!r}; bases: {bases}")
    from lantern.cases.models import Consent

    rows = Consent.objects.filter(case=case, item=SHARING_CONSENT["referral"])
    if rows.filter(value=False).exists():
        return ShareDecision(False, "referral sharing was refused")
    if not rows.filter(value=True, given_by=who).exists():
        return ShareDecision(False, f"no {basis.replace('_', ' ')} to referral sharing is recorded")
    return ShareDecision(True, f"{basis.replace('_', ' ')} to referral sharing is recorded")


def consented(qs: QuerySet[Case], purpose: str) -> QuerySet[Case]:
    """The cases of ``qs`` with a recorded yes and no refusal for ``purpose`` (e.g. tracing)."""
    from lantern.cases.models import Consent

    item = SHARING_CONSENT[purpose]
    yes = Consent.objects.filter(item=item, value=True).values("case_id")
    no = Consent.objects.filter(item=item, value=False).values("case_id")
    return qs.filter(pk__in=yes).exclude(pk__in=no)


def navigation(user: User) -> list[dict[str, Any]]:
    """The menu a role sees; hiding an entry is convenience, never the check."""
    items: list[dict[str, Any]] = []
    if allows(user, "case", "list"):
        items.append({"label": _("Cases"), "url": reverse("web:case_list")})
    if allows(user, "statistics", "view"):
        items.append({"label": _("Statistics"), "url": reverse("monitoring:estimate")})
    if allows(user, "audit", "view"):
        items.append({"label": _("Audit trail"), "url": reverse("web:audit_list")})
    if allows(user, "linkage", "review"):
        items.append({"label": _("Possible duplicates"), "url": reverse("web:linkage_review")})
    # protection workflow (lantern.web.views_protection)
    if allows(user, "case", "create") or allows(user, "report", "submit"):
        items.append({"label": _("New case"), "url": reverse("web:case_new")})
    if allows(user, "worklist", "view"):
        items.append({"label": _("My work"), "url": reverse("web:my_work")})
    if allows(user, "caseload", "view"):
        items.append({"label": _("Team caseload"), "url": reverse("web:team_caseload")})
    if allows(user, "tracing", "manage"):
        items.append({"label": _("Family tracing"), "url": reverse("web:tracing_list")})
    if allows(user, "exchange", "import"):
        items.append({"label": _("Receive a transfer"), "url": reverse("web:exchange_import")})
    return items
