"""The directory's entries: written by their agency, approved by a coordinator, found by all.

An agency's staff (``("organisation", "manage")`` at the agency's scope) keep its organisation
and the services, projects and lessons under it; a coordinator (national scope) also keeps
those of organisations with no account here. An entry goes draft -> submitted -> approved,
with who and when; an approver may send it back to draft. Others list only approved entries
(``policy.records``); an agency's edit of an approved entry puts it back in the review queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.accounts.models import Agency
from lantern.accounts.policy import Scope
from lantern.audit import services as audit
from lantern.directory import search
from lantern.directory.fields import KINDS, clean
from lantern.directory.models import EntryStatus, Organisation
from lantern.errors import Invalid, NotAllowed, Refused
from lantern.taxonomy import areas as vocabulary

CHILD_KINDS = ("service", "project", "lesson")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Invalid(_("kind: one of %(ok)s") % {"ok": ", ".join(KINDS)}, "kind")
    return kind


def _approver(user: Any) -> bool:
    return policy.scope_for(user, "organisation", "approve") is Scope.NATIONAL


def _label(status: str) -> str:
    return str(EntryStatus(status).label).lower()


def is_approver(user: Any) -> bool:
    """May ``user`` approve directory entries (a coordinator)?"""
    return _approver(user)


def may_write(user: Any) -> bool:
    """May ``user`` write directory entries at all (its agency's, or any)?"""
    return policy.allows(user, "organisation", "manage")


def get(user: Any, kind: str, pk: Any, action: str = "view") -> Any:
    """The entry ``pk`` if ``user`` may ``action`` it; NotFound otherwise."""
    return policy.get_or_404(user, _kind(kind), action, pk)


def approved_organisations(
    user: Any, pks: list[Any], field: str, kept: Iterable[Any] = ()
) -> list[Organisation]:
    """The organisations ``pks`` names, each once, each approved and readable by ``user``: a
    plan, a programme or an agreement names bodies a coordinator has vetted, not a draft
    entry. Invalid naming ``field`` for a missing or unapproved one, unless the record being
    changed already names it (``kept``): an organisation that left the approved state stays
    where it was, flagged (``not_approved``), but is never taken up anew."""
    found = []
    already = {str(k) for k in kept}
    for pk in dict.fromkeys(pks):
        org: Organisation | None = policy.scoped_get(user, "organisation", "view", pk)
        if org is None:
            raise Invalid(_("%(field)s: no such organisation") % {"field": field}, field)
        if org.status != EntryStatus.APPROVED and str(org.pk) not in already:
            raise Invalid(
                _("%(field)s: %(name)s is not approved in the directory yet")
                % {"field": field, "name": org.name},
                field,
            )
        found.append(org)
    return found


def not_approved(orgs: Iterable[Organisation]) -> list[Organisation]:
    """Of the organisations a plan, programme or agreement names, those no longer approved
    (sent back to draft, or changed and waiting for review): the coordinator is shown them
    on the record's page until they are approved again or replaced."""
    return [o for o in orgs if o.status != EntryStatus.APPROVED]


def _save(user: Any, kind: str, row: Any, fields: list[str], verb: str, source: str) -> Any:
    with transaction.atomic():
        row.save()
        search.index(kind, row, KINDS[kind].searched)
        audit.record(
            user,
            verb,
            kind,
            row.pk,
            fields,
            reason=f"directory {kind} {row.pk}",
            source=source,
        )
    return row


def create_organisation(
    user: Any, data: Mapping[str, Any], agency: int | None = None, source: str = ""
) -> Organisation:
    """A new organisation, in draft. An agency's staff write their own agency's; a coordinator
    may name an agency (``agency``) or none (an organisation with no account here)."""
    scope = policy.scope_for(user, "organisation", "manage")
    if scope is None:
        raise NotAllowed(_("you may not write directory entries"))
    values = clean("organisation", data)
    if scope is not Scope.NATIONAL:
        if user.agency_id is None:
            raise NotAllowed(_("you keep no agency's entries"))
        if agency not in (None, user.agency_id):
            raise NotAllowed(_("you keep only your own agency's entries"), "agency")
        agency = user.agency_id
    elif agency is not None and not Agency.objects.filter(pk=agency).exists():
        raise Invalid(_("agency: no agency %(id)s") % {"id": agency}, "agency")
    row = Organisation(**values, agency_id=agency, status=EntryStatus.DRAFT)
    return _save(user, "organisation", row, list(values), "create", source)


def add(user: Any, kind: str, organisation: int, data: Mapping[str, Any], source: str = "") -> Any:
    """A service, project or lesson under an organisation ``user`` keeps, in draft."""
    if kind not in CHILD_KINDS:
        raise Invalid(_("kind: one of %(ok)s") % {"ok": ", ".join(CHILD_KINDS)}, "kind")
    org = get(user, "organisation", organisation, "manage")
    values = _with_project(user, org, clean(kind, data))
    row = KINDS[kind].model(**values, organisation=org, status=EntryStatus.DRAFT)
    return _save(user, kind, row, list(values), "create", source)


def _with_project(user: Any, org: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    """A lesson's project, by id, must be one of the same organisation's."""
    if "project" not in values:
        return values
    pk = values.pop("project")
    found = policy.scoped_get(user, "project", "view", pk) if pk else None
    if pk and (found is None or found.organisation_id != org.pk):
        raise Invalid(_("project: no project %(id)s of this organisation") % {"id": pk}, "project")
    return {**values, "project": found}


def update(user: Any, kind: str, pk: Any, data: Mapping[str, Any], source: str = "") -> Any:
    """Change the fields given. An approved entry changed by its agency waits for approval
    again (submitted); an approver's own edit keeps it approved."""
    row = get(user, kind, pk, "manage")
    values = clean(kind, data, partial=True)
    if kind != "organisation":
        values = _with_project(user, row.organisation, values)
    for name, value in values.items():
        setattr(row, name, value)
    if row.status == EntryStatus.APPROVED and not _approver(user):
        row.status, row.submitted_by, row.submitted_at = EntryStatus.SUBMITTED, user, timezone.now()
    return _save(user, kind, row, list(values), "update", source)


def submit(user: Any, kind: str, pk: Any, source: str = "") -> Any:
    """Send a draft for approval."""
    row = get(user, kind, pk, "manage")
    if row.status != EntryStatus.DRAFT:
        raise Refused(
            _("only a draft is submitted; this entry is %(s)s") % {"s": _label(row.status)}
        )
    row.status, row.submitted_by, row.submitted_at = EntryStatus.SUBMITTED, user, timezone.now()
    return _save(user, kind, row, ["status"], "update", source)


def approve(user: Any, kind: str, pk: Any, source: str = "") -> Any:
    """A coordinator approves a submitted entry: from now on others list it."""
    if not _approver(user):
        raise NotAllowed(_("only a coordinator approves directory entries"))
    row = get(user, kind, pk, "view")
    if row.status != EntryStatus.SUBMITTED:
        raise Refused(
            _("only a submitted entry is approved; this one is %(s)s") % {"s": _label(row.status)}
        )
    row.status, row.approved_by, row.approved_at = EntryStatus.APPROVED, user, timezone.now()
    return _save(user, kind, row, ["status"], "update", source)


def send_back(user: Any, kind: str, pk: Any, source: str = "") -> Any:
    """A coordinator returns a submitted or approved entry to its agency's draft."""
    if not _approver(user):
        raise NotAllowed(_("only a coordinator returns directory entries"))
    row = get(user, kind, pk, "view")
    if row.status == EntryStatus.DRAFT:
        raise Refused(_("this entry is already a draft"))
    row.status, row.approved_by, row.approved_at = EntryStatus.DRAFT, None, None
    return _save(user, kind, row, ["status"], "update", source)


def may_manage(user: Any, kind: str, row: Any) -> bool:
    return policy.scoped(user, kind, "manage").filter(pk=row.pk).exists()


def listed(user: Any, kind: str) -> Any:
    """The entries of ``kind`` ``user`` sees (approved ones, the agency's own; all for an
    approver), as a queryset; refused to a role that has no directory."""
    if not policy.allows(user, "organisation", "view"):
        raise NotAllowed(_("the directory is not open to your role"))
    return policy.scoped(user, _kind(kind), "view")


def organisations(
    user: Any,
    *,
    kind: str = "",
    area: str = "",
    support: str = "",
    sex: str = "",
    form: str = "",
    age: int | None = None,
    status: str = "",
) -> list[Organisation]:
    """Organisations ``user`` sees, filtered by what they are and whom they serve (an empty
    reach serves anyone). ``area`` is a country (``NPL``) or a province (``NPL/Bagmati``)."""
    rows = listed(user, "organisation").select_related("agency").prefetch_related("offered")
    if kind:
        rows = rows.filter(type=kind)
    if status:
        rows = rows.filter(status=status)
    found = []
    for org in rows.order_by("name"):
        offers = set(org.services) | {s.support_type for s in org.offered.all()}
        if support and support not in offers:
            continue
        if not serves(org, area=area, sex=sex, form=form, age=age):
            continue
        found.append(org)
    return found


def covers(areas: list[str], area: str) -> bool:
    """Does a reach of ``areas`` (empty: anywhere) cover ``area`` (``NPL`` or ``NPL/Bagmati``)?"""
    if not areas or not area:
        return True
    known = vocabulary.match(area)  # "NPL/Bagmati Province" is NPL/Bagmati
    area = known.code if known else area
    country = area.split("/", 1)[0]
    wanted = {area.casefold(), country.casefold()}
    return any(
        a.casefold() in wanted or a.casefold().startswith(f"{area.casefold()}/") for a in areas
    )


def serves(
    entry: Any, *, area: str = "", sex: str = "", form: str = "", age: int | None = None
) -> bool:
    """Does ``entry``'s reach include this child or this area (empty reach: anyone)?"""
    if sex and entry.sexes and sex not in entry.sexes:
        return False
    if form and entry.forms and form not in entry.forms:
        return False
    if age is not None:
        if entry.age_min is not None and age < entry.age_min:
            return False
        if entry.age_max is not None and age > entry.age_max:
            return False
    return covers(entry.areas, area)


def services_for(
    user: Any,
    *,
    needs: list[str] | None = None,
    sex: str = "",
    age: int | None = None,
    forms: list[str] | None = None,
    area: str = "",
) -> list[Any]:
    """Approved services of approved organisations that fit the child: one of its ``needs``
    (any when none is known yet), its sex, its age, one of its forms, its home area. A service
    whose own reach is empty takes its organisation's."""
    rows = (
        listed(user, "service")
        .filter(status=EntryStatus.APPROVED, organisation__status=EntryStatus.APPROVED)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    out = []
    for s in rows:
        if needs and s.support_type not in needs:
            continue
        reach = _Reach(s)
        if not serves(reach, sex=sex, age=age, area=area):
            continue
        if forms and reach.forms and not set(forms) & set(reach.forms):
            continue
        out.append(s)
    return out


class _Reach:
    """A service's reach, field by field its own or, where blank, its organisation's."""

    def __init__(self, service: Any) -> None:
        org = service.organisation
        for name in ("areas", "sexes", "forms"):
            setattr(self, name, getattr(service, name) or getattr(org, name))
        for name in ("age_min", "age_max"):
            own = getattr(service, name)
            setattr(self, name, own if own is not None else getattr(org, name))

    areas: list[str]
    sexes: list[str]
    forms: list[str]
    age_min: int | None
    age_max: int | None


def reach_of(service: Any) -> _Reach:
    return _Reach(service)


def review_queue(user: Any) -> list[tuple[str, Any]]:
    """Every submitted entry, oldest first, for an approver."""
    if not _approver(user):
        raise NotAllowed(_("only a coordinator reviews directory entries"))
    queue = []
    for kind in KINDS:
        rows = listed(user, kind).filter(status=EntryStatus.SUBMITTED)
        if kind != "organisation":
            rows = rows.select_related("organisation")
        queue += [(kind, r) for r in rows]
    return sorted(queue, key=lambda kr: (kr[1].submitted_at or timezone.now(), kr[0], kr[1].pk))


def find(user: Any, query: str, source: str = "") -> list[tuple[str, Any]]:
    """Entries of every kind whose text holds the query's words, best first, among those
    ``user`` sees. The criteria are audited by their length only (they may name anything)."""
    hits = search.matching(query)
    by_kind: dict[str, set[int]] = {}
    for kind, pk in hits:
        by_kind.setdefault(kind, set()).add(pk)
    seen: dict[tuple[str, int], Any] = {}
    for kind, pks in by_kind.items():
        rows = listed(user, kind).filter(pk__in=pks)
        if kind != "organisation":
            rows = rows.select_related("organisation")
        seen.update({(kind, r.pk): r for r in rows})
    audit.record(
        user,
        "search",
        "directory",
        "",
        ["q"],
        reason=f"directory search: {len(search.words(query))} words, {len(seen)} found",
        source=source,
    )
    return [(kind, seen[(kind, pk)]) for kind, pk in hits if (kind, pk) in seen]
