"""The perpetrator register: list, look up by exact identifier, read, add identifiers, and a
caseworker's report of what a child says about a trafficker on the case.

Only roles the policy grants ("perpetrator", "list"/"view") and that read identifying data see
the register; every list, look-up and read is audited (criteria names, never typed values).
A caseworker's report ("perpetrator", "report") adds to the register and shows nothing of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import ActorRole, Case
from lantern.errors import Invalid, NotFound, Unreadable
from lantern.perpetrators.enrol import enrol
from lantern.perpetrators.identifiers import index_of, tail_index
from lantern.perpetrators.models import (
    ActorLink,
    IdentifierKind,
    JusticeStage,
    Perpetrator,
    PerpetratorIdentifier,
    PerpetratorKind,
)
from lantern.perpetrators.records import (
    CaseRoleView,
    IdentifierView,
    PerpetratorDetail,
    PerpetratorSummary,
    StepView,
)
from lantern.taxonomy import code_list

LIST_LIMIT = 200
SEARCH_KINDS = ("name", "phone", "vehicle")
VERDICTS = (JusticeStage.CONVICTED, JusticeStage.ACQUITTED)


def may_read_register(user: Any) -> bool:
    """The register's roles that may also read its identifiers (their tier is the policy's
    classification of ``perpetratoridentifier.value``, not restated here)."""
    return policy.allows(user, "perpetrator", "view") and policy.may_read_field(
        user, "perpetratoridentifier.value"
    )


def get(user: Any, pk: Any, action: str = "view") -> Perpetrator:
    """The register record ``pk`` if ``user`` may read it; NotFound otherwise (as if absent)."""
    if not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    row: Perpetrator = policy.get_or_404(user, "perpetrator", action, pk)
    return row


def _names(row: Perpetrator) -> list[str]:
    return [
        str(i.value)
        for i in row.identifiers.all()
        if i.kind in (IdentifierKind.NAME, IdentifierKind.ALIAS)
    ]


def _summaries(rows: Iterable[Perpetrator]) -> list[PerpetratorSummary]:
    return [
        PerpetratorSummary(
            id=r.pk,
            reference=r.reference,
            kind=r.kind,
            sex=r.sex,
            names=_names(r),
            agency=r.agency.name,
            cases=getattr(r, "n_cases", 0),
        )
        for r in rows
    ]


def register(
    user: Any, *, name: str = "", phone: str = "", vehicle: str = "", source: str = ""
) -> list[PerpetratorSummary]:
    """The register, newest first (at most LIST_LIMIT), or the records one exact identifier
    finds through its blind index. Audited with the criteria's names, never their values."""
    if not policy.allows(user, "perpetrator", "list") or not may_read_register(user):
        raise NotFound(_("No such page"))
    given = {k: v for k, v in (("name", name), ("phone", phone), ("vehicle", vehicle)) if v}
    if len(given) > 1:
        raise Unreadable(_("Look up one identifier at a time: a name, a phone or a vehicle."))
    rows: QuerySet[Perpetrator] = policy.scoped(user, "perpetrator", "list")
    for kind, value in given.items():
        idx, tail = index_of(kind, value), tail_index(kind, value)
        kinds = ("name", "alias") if kind == "name" else (kind,)
        same = Q(index=idx) | Q(tail_index=tail) if tail else Q(index=idx)
        found = PerpetratorIdentifier.objects.filter(same, kind__in=kinds)
        rows = rows.filter(pk__in=found.values("perpetrator_id"))
    rows = (
        rows.select_related("agency")
        .prefetch_related("identifiers")
        .annotate(n_cases=Count("actor_links__actor__roles__case", distinct=True))
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )
    out = _summaries(rows)
    audit.record(
        user,
        "search" if given else "list",
        "perpetrator",
        fields=tuple(given),
        reason=f"{len(out)} records",
        source=source,
    )
    return out


def look_up(user: Any, kind: str, value: str, source: str = "") -> list[PerpetratorSummary]:
    """The records one exact identifier of ``kind`` (name, phone, vehicle) finds."""
    if not policy.allows(user, "perpetrator", "list") or not may_read_register(user):
        raise NotFound(_("No such page"))
    if kind not in SEARCH_KINDS:
        raise Invalid(_("Look up a name, a phone number or a vehicle."), "kind")
    if not (value or "").strip():
        raise Invalid(_("Write the identifier as the child or the record gives it."), "value")
    return register(user, source=source, **{kind: value})


def _roles(row: Perpetrator) -> QuerySet[ActorRole]:
    return ActorRole.objects.filter(actor__register_link__perpetrator=row).select_related(
        "actor", "case", "case__agency"
    )


def case_ids_of(row: Perpetrator) -> set[int]:
    return set(_roles(row).values_list("case_id", flat=True))


def identified_on(perpetrator_ids: Iterable[int]) -> dict[int, dt.date]:
    """When each perpetrator's first child was identified: the earliest registration date,
    known to the day, of the cases naming them (a year- or month-only date is not counted)."""
    rows = (
        ActorRole.objects.filter(
            actor__register_link__perpetrator_id__in=list(perpetrator_ids),
            case__registration_date_precision="day",
        )
        .values("actor__register_link__perpetrator_id")
        .annotate(first=Min("case__registration_date"))
    )
    return {r["actor__register_link__perpetrator_id"]: r["first"] for r in rows}


def days_to_verdict(identified: dt.date | None, steps: Iterable[tuple[str, dt.date]]) -> int | None:
    """Days from the child's identification to the first verdict; from the first step of the
    chain when no case naming the person has an identification date to the day (or when the
    verdict came first: a person prosecuted before the child was found)."""
    steps = list(steps)
    verdicts = [d for stage, d in steps if stage in VERDICTS]
    if not verdicts:
        return None
    verdict = min(verdicts)
    start = identified if identified is not None and identified <= verdict else None
    return (verdict - (start or min(d for _s, d in steps))).days


def detail(user: Any, row: Perpetrator, source: str = "") -> PerpetratorDetail:
    """Everything the register holds on ``row`` that ``user`` may see; the read is audited.
    Cases outside the reader's case scope are counted, never named."""
    visible = set(policy.scope_cases(user, "view").values_list("pk", flat=True))
    roles = list(_roles(row).order_by("case_id", "role"))
    shown = [r for r in roles if r.case_id in visible]
    others = {r.case_id for r in roles} - visible
    steps = list(row.justice_steps.select_related("agency").prefetch_related("cases"))
    out = PerpetratorDetail(
        id=row.pk,
        reference=row.reference,
        kind=row.kind,
        sex=row.sex,
        citizenship=row.citizenship,
        agency=row.agency.name,
        identifiers=[IdentifierView(i.pk, i.kind, str(i.value)) for i in row.identifiers.all()],
        cases=[
            CaseRoleView(
                case_id=r.case_id,
                case_reference=r.case.reference,
                agency=r.case.agency.name,
                actor_ref=r.actor.ref,
                role=r.role,
                relationship=r.relationship,
            )
            for r in shown
        ],
        other_cases=len(others),
        justice=[
            StepView(
                id=s.pk,
                stage=s.stage,
                date=s.date.isoformat(),
                agency=s.agency.name,
                case_ids=sorted(c.pk for c in s.cases.all() if c.pk in visible),
                sentence_months=s.sentence_months,
            )
            for s in steps
        ],
        days_to_verdict=days_to_verdict(
            identified_on([row.pk]).get(row.pk), ((s.stage, s.date) for s in steps)
        ),
    )
    audit.record(user, "view", "perpetrator", row.pk, fields=("identifiers",), source=source)
    return out


def _genders() -> tuple[str, ...]:
    return tuple(code_list("genders").ids())


def _add(row: Perpetrator, kind: str, value: str, agency_id: int) -> bool:
    """Add one identifier unless the record holds it already; True when added."""
    if kind not in IdentifierKind.values:
        raise Invalid(_("Choose what kind of identifier this is."), "kind")
    idx = index_of(kind, value)
    if row.identifiers.filter(kind=kind, index=idx).exists():
        return False
    PerpetratorIdentifier.objects.create(
        perpetrator=row,
        kind=kind,
        value=value.strip(),
        index=idx,
        tail_index=tail_index(kind, value),
        agency_id=agency_id,
    )
    return True


def _describe(row: Perpetrator, kind: str, sex: str) -> list[str]:
    changed: list[str] = []
    if kind:
        if kind not in PerpetratorKind.values:
            raise Invalid(_("A perpetrator is a person or a business."), "kind")
        if row.kind != kind:
            row.kind, changed = kind, [*changed, "kind"]
    if sex:
        if sex not in _genders():
            raise Invalid(_("Choose the sex from the list."), "sex")
        if row.sex != sex:
            row.sex, changed = sex, [*changed, "sex"]
    if changed:
        row.save(update_fields=changed)
    return changed


def add_identifiers(
    user: Any,
    row: Perpetrator,
    identifiers: Sequence[tuple[str, str]],
    *,
    kind: str = "",
    sex: str = "",
    source: str = "",
) -> int:
    """Add identifiers to a register record ``user`` may read and record on; how many were new."""
    if not policy.allows(user, "perpetrator", "record") or not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    if user.agency_id is None:
        raise Invalid(_("Only staff of an agency record identifiers."))
    with transaction.atomic():
        changed = _describe(row, kind, sex)
        added = sum(_add(row, k, v, user.agency_id) for k, v in identifiers)
    audit.record(
        user,
        "update",
        "perpetrator",
        row.pk,
        fields=tuple(sorted({k for k, _v in identifiers} | set(changed))),
        reason=f"{added} identifiers added",
        source=source,
    )
    return added


def report(
    user: Any,
    case: Case,
    role_id: Any,
    identifiers: Sequence[tuple[str, str]],
    *,
    kind: str = "",
    sex: str = "",
    source: str = "",
) -> int:
    """A caseworker records what the child says about a suspected trafficker of the case (one
    of the story's): names, phones, vehicles, places. They land on that trafficker's register
    record; nothing of the register is shown back. Returns how many identifiers were new."""
    if not policy.allows(user, "perpetrator", "report"):
        raise NotFound(_("No such case"))
    if not policy.case_allows(user, "update", case):
        raise NotFound(_("No such case"))
    if not identifiers and not (kind or sex):
        raise Invalid(_("Write at least one name, phone number, vehicle or place."), "value")
    role = None
    if str(role_id).isdigit():
        role = ActorRole.objects.filter(case=case, pk=int(role_id)).select_related("actor").first()
    if role is None:
        raise Invalid(_("Choose one of the suspected traffickers of this case."), "role_id")
    if case.agency_id is None:
        raise Invalid(_("This case has no agency."))
    with transaction.atomic():
        link: ActorLink = enrol(role.actor)
        row = Perpetrator.objects.select_for_update().get(pk=link.perpetrator_id)
        changed = _describe(row, kind, sex)
        added = sum(_add(row, k, v, case.agency_id) for k, v in identifiers)
    audit.record(
        user,
        "report",
        "perpetrator",
        row.pk,
        fields=tuple(sorted({k for k, _v in identifiers} | set(changed))),
        reason=f"case {case.reference}: {added} identifiers",
        source=source,
    )
    return added


def merge(user: Any, keep: Perpetrator, other: Perpetrator, source: str = "") -> Perpetrator:
    """Two register records are one person: ``other``'s agency references, identifiers and
    justice steps move to ``keep``, and ``other`` goes. Decided by a reader of the register
    (("perpetrator", "record")); linkage proposes, a person decides."""
    if not policy.allows(user, "perpetrator", "record") or not may_read_register(user):
        raise NotFound(_("No such perpetrator"))
    if keep.pk == other.pk:
        raise Invalid(_("Choose two different records."), "other")
    with transaction.atomic():
        ActorLink.objects.filter(perpetrator=other).update(perpetrator=keep)
        held = set(keep.identifiers.values_list("kind", "index"))
        for ident in other.identifiers.all():
            if (ident.kind, ident.index) not in held:
                ident.perpetrator = keep
                ident.save(update_fields=["perpetrator"])
        other.justice_steps.update(perpetrator=keep)
        gone = other.pk
        other.delete()
    audit.record(user, "merge", "perpetrator", keep.pk, reason=f"merged {gone}", source=source)
    return keep
