"""Every resource other than a case, fetched and listed only through ``scoped``.

A shelter, a referral or a tracing request an id names is checked like a case is, and an
object another agency holds answers as if it did not exist (its id reveals nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from lantern.accounts.policy.rules import Scope, scope_cases, scope_for
from lantern.accounts.policy.rules import model as _model
from lantern.errors import NotFound

if TYPE_CHECKING:
    from lantern.accounts.models import User


# Records that belong to one case: in scope exactly when their case is, for the same action.
CASE_RECORDS: dict[str, str] = {
    "care_plan": "cases.CarePlan",
    "legal_proceeding": "cases.LegalProceeding",
    "followup_visit": "cases.FollowUpVisit",
    "placement": "cases.Placement",
    "closure": "cases.ClosureRequest",
    "attachment": "cases.Attachment",  # named by its random key (lantern.protection.notes)
}
# Records an agency holds: resource -> (model, the path from it to the holding agency).
AGENCY_RECORDS: dict[str, tuple[str, str]] = {
    "safe_place": ("cases.SafePlace", "agency_id"),
    "tracing": ("cases.TracingRequest", "agency_id"),
    "referral": ("cases.Referral", "organisation__agency_id"),
    "organisation": ("cases.Organisation", "agency_id"),
    "triage": ("cases.TriageItem", "agency_id"),  # a report in the receiving agency's queue
    "import_job": ("cases.ImportJob", "agency_id"),  # a file uploaded for import (web)
    "perpetrator": ("cases.Perpetrator", "agency_id"),  # the register (national for its roles)
    # the national response (#18): national records, led by an organisation of the directory
    "plan": ("cases.NationalPlan", "responsible__agency_id"),
    "programme": ("cases.Programme", "responsible__agency_id"),
    "cooperation": ("cases.CooperationAgreement", "created_by__agency_id"),
    "readmission": ("cases.ReadmissionRequest", "agency_id"),  # the agency that sent or got it
    # community prevention (lantern.response.community): each is its agency's
    "atrisk": ("cases.AtRiskChild", "agency_id"),
    "committee": ("cases.Committee", "agency_id"),
    "campaign": ("cases.Campaign", "agency_id"),
    "inspection": ("cases.Inspection", "agency_id"),
    # the directory's entries under an organisation (lantern.directory)
    "service": ("cases.OrganisationService", "organisation__agency_id"),
    "project": ("cases.OrganisationProject", "organisation__agency_id"),
    "lesson": ("cases.LessonLearned", "organisation__agency_id"),
}
# Agency records whose access follows a grant on another resource: resource -> RULES key.
GRANTED_BY: dict[str, tuple[str, str]] = {"import_job": ("case", "import")}
# The directory (lantern.directory): an agency keeps its own entries; the others see an entry
# once a coordinator approved it (and its organisation); approvers see every entry.
# resource -> the path from its record to the organisation whose status and agency count.
DIRECTORY = {
    "organisation": "",
    "service": "organisation__",
    "project": "organisation__",
    "lesson": "organisation__",
}
MAX_ID = 2**63 - 1  # ids beyond a database integer name nothing (never an overflow error)


def _agency_filter(user: User, scope: Scope, field: str) -> Q | None:
    """A Q selecting an agency's records for ``scope`` (team and own scopes see the agency's:
    a shelter or a tracing request belongs to the agency, not to a team)."""
    if scope is Scope.NATIONAL:
        return Q()
    if user.agency_id is None or scope is Scope.AREA:
        return None
    return Q(**{field: user.agency_id})


def _directory_listed(user: User, resource: str, action: str) -> Q | None:
    """Directory entries ``user`` may see: approved ones, the agency's own, or all for those
    who approve them; None when the action is not a view (the agency's scope applies)."""
    if action != "view" or resource not in DIRECTORY:
        return None
    if scope_for(user, "organisation", "approve") is Scope.NATIONAL:
        return Q()
    prefix = DIRECTORY[resource]
    listed = Q(status="approved") & Q(**{f"{prefix}status": "approved"})
    if user.agency_id is None:
        return listed
    return listed | Q(**{f"{prefix}agency_id": user.agency_id})


def _placed_now(user: User) -> Q:
    """Places where a child whose case ``user`` may view is placed now."""
    placement = _model("cases.Placement")
    current = placement.objects.filter(end__isnull=True, case__in=scope_cases(user, "view"))
    return Q(pk__in=current.values("place_id"))


def _special(user: User, resource: str, action: str, scope: Scope) -> Q | None:
    """Resources whose scope is more than their agency's: need to know, or the case's team."""
    listed = _directory_listed(user, resource, action)
    if listed is not None:
        return listed
    if resource == "safe_place" and action in ("view", "locate"):
        # Its name (view): national scopes see every place. Its address (locate): never every
        # place; tiers are checked by ``safety.may_see_location``. Otherwise both are the
        # running agency's own places, and any where a child the user may view is placed now.
        if scope is Scope.NATIONAL and action == "view":
            return Q()  # (an empty Q would vanish from an OR, not select everything)
        if user.agency_id is None or scope in (Scope.NATIONAL, Scope.AREA):
            return _placed_now(user)
        return Q(agency_id=user.agency_id) | _placed_now(user)
    if resource == "committee" and scope is Scope.OWN:
        return Q(facilitators=user.pk)  # a facilitator's own committees, not the agency's
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
    grant = ("organisation", action) if resource in DIRECTORY else (resource, action)
    scope = scope_for(user, *GRANTED_BY.get(resource, grant))
    if scope is None:
        return model.objects.none()
    q = _special(user, resource, action, scope)
    if q is None:
        q = _agency_filter(user, scope, field)
    return model.objects.none() if q is None else model.objects.filter(q)


def agency_allows(user: User, resource: str, action: str, agency_id: int | None) -> bool:
    """Whether ``user`` may ``action`` the ``resource`` records agency ``agency_id`` holds, for a
    resource scoped by its agency alone: asked before the record exists (the duty officer of a
    report about to be queued) or of another user (the officer a supervisor names)."""
    scope = scope_for(user, *GRANTED_BY.get(resource, (resource, action)))
    if scope is None:
        return False
    return scope is Scope.NATIONAL or (
        scope is not Scope.AREA and user.agency_id is not None and user.agency_id == agency_id
    )


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
    """The ``resource`` record ``pk`` if ``user`` may ``action`` it; NotFound (404) otherwise,
    never NotAllowed (403): a record outside the scope answers as one that does not exist."""
    row = scoped_get(user, resource, action, pk)
    if row is None:
        raise NotFound(f"No such {resource.replace('_', ' ')}")
    return row
