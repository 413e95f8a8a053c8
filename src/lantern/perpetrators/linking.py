"""Linking the register's records across agencies (#17 item 2): the pure core's
``link_perpetrators`` proposes, a reviewer confirms or rejects, a confirm merges.

The identifiers are decrypted in memory only, into the frame linkage reads, and never logged;
what is stored is the review queue (:class:`PerpetratorPair`): two record ids, the probability
and each comparison's weight of evidence. Rejected pairs go back to linkage as decisions, so a
run never proposes them again; a confirm merges through :func:`service.merge` (audited).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import ActorRole
from lantern.errors import Invalid, NotFound
from lantern.networks import (
    PERPETRATOR_COLUMNS,
    Decision,
    PerpetratorLinkageOptions,
    link_perpetrators,
)
from lantern.perpetrators import service
from lantern.perpetrators.models import IdentifierKind, PairStatus, Perpetrator, PerpetratorPair

#: What each comparison of perpetrator linkage looks at, in the reader's words.
COMPARISONS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "alias": gettext_lazy("Alias"),
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age"),
    "phone": gettext_lazy("Phone number"),
    "vehicle": gettext_lazy("Vehicle"),
    "place": gettext_lazy("Place"),
    "role": gettext_lazy("Role"),
    "case": gettext_lazy("Same child's case"),
}


@dataclass(frozen=True)
class LinkRun:
    """What one run did: records read, pairs queued for review (new or still open)."""

    records: int
    queued: int


@dataclass(frozen=True)
class Evidence:
    comparison: str
    weight: float  # bits of evidence for (positive) or against (negative) one person


@dataclass(frozen=True)
class PairView:
    """One pair of the queue: the two records by reference, never a name."""

    id: int
    left_id: int
    left: str
    right_id: int
    right: str
    probability: float
    evidence: list[Evidence]


def _uid(row: Perpetrator) -> str:
    return f"{row.agency.code}|{row.pk}"


def _first(values: dict[str, list[str]], kind: str) -> str | None:
    found = values.get(kind)
    return found[0] if found else None


def records() -> pd.DataFrame:
    """The register as linkage reads it: one row per record, identifiers decrypted here, in
    memory (the frame is never written or logged)."""
    rows = Perpetrator.objects.select_related("agency").prefetch_related("identifiers")
    roles: dict[int, ActorRole] = {}
    for r in ActorRole.objects.filter(actor__register_link__isnull=False).select_related(
        "actor__register_link", "case"
    ):
        roles.setdefault(r.actor.register_link.perpetrator_id, r)
    out = []
    for p in rows:
        values: dict[str, list[str]] = {}
        for ident in p.identifiers.all():
            values.setdefault(ident.kind, []).append(str(ident.value))
        name = (_first(values, IdentifierKind.NAME) or "").split()
        role = roles.get(p.pk)
        out.append(
            {
                "agency": p.agency.code,
                "perpetrator_record_id": str(p.pk),
                "given_name": " ".join(name[:-1]) or (name[0] if name else None),
                "family_name": name[-1] if len(name) > 1 else None,
                "alias": _first(values, IdentifierKind.ALIAS),
                "sex": p.sex or None,
                "phone": _first(values, IdentifierKind.PHONE),
                "vehicle": _first(values, IdentifierKind.VEHICLE),
                "city": _first(values, IdentifierKind.PLACE),
                "role": role.role if role else None,
                "case_key": (
                    f"person:{role.case.person_id}"
                    if role and role.case.person_id
                    else (f"case:{role.case_id}" if role else None)
                ),
            }
        )
    return pd.DataFrame(out, columns=[c for c in PERPETRATOR_COLUMNS if c not in ("age",)])


def _decisions(uid_of: dict[int, str]) -> list[Decision]:
    rejected = PerpetratorPair.objects.filter(status=PairStatus.REJECTED)
    return [
        Decision(uid_of[p.left_id], uid_of[p.right_id], "different")
        for p in rejected
        if p.left_id in uid_of and p.right_id in uid_of
    ]


def run(source: str = "cli", options: PerpetratorLinkageOptions | None = None) -> LinkRun:
    """Link the register and refresh the review queue: uncertain pairs no one has decided
    are queued (or kept), those no longer uncertain leave it; decisions stay."""
    frame = records()
    ids = zip(frame["agency"], frame["perpetrator_record_id"], strict=True)
    by_uid = {f"{a}|{i}": int(i) for a, i in ids}
    uid_of = {pk: uid for uid, pk in by_uid.items()}
    linkage = link_perpetrators(frame, options, decisions=_decisions(uid_of))
    queue = linkage.review_queue()
    weights = [c for c in queue.columns if c.startswith("mw_") and not c.startswith("mw_tf_")]
    kept: set[tuple[int, int]] = set()
    with transaction.atomic():
        for row in queue.itertuples(index=False):
            d = row._asdict()
            left, right = sorted((by_uid[d["unique_id_l"]], by_uid[d["unique_id_r"]]))
            evidence = {
                w[3:]: round(float(d[w]), 2)
                for w in weights
                if d[w] is not None and not math.isnan(float(d[w]))
            }
            pair, _created = PerpetratorPair.objects.get_or_create(
                left_id=left,
                right_id=right,
                defaults={"probability": float(d["match_probability"]), "evidence": evidence},
            )
            if pair.status == PairStatus.PENDING:
                pair.probability = float(d["match_probability"])
                pair.evidence = evidence
                pair.save(update_fields=["probability", "evidence", "found_at"])
                kept.add((left, right))
        stale = PerpetratorPair.objects.filter(status=PairStatus.PENDING)
        for pair in stale:
            if (pair.left_id, pair.right_id) not in kept:
                pair.delete()
    audit.record(
        None,
        "link",
        "perpetrator",
        fields=("identifiers",),
        reason=f"{len(frame)} records, {len(kept)} pairs to review",
        source=source,
    )
    return LinkRun(len(frame), len(kept))


def may_review(user: Any) -> bool:
    """Those who may merge register records: record on the register, and read identities."""
    return policy.allows(user, "perpetrator", "record") and service.may_read_register(user)


def _view(pair: PerpetratorPair) -> PairView:
    return PairView(
        id=pair.pk,
        left_id=pair.left_id,
        left=pair.left.reference,
        right_id=pair.right_id,
        right=pair.right.reference,
        probability=round(pair.probability, 3),
        evidence=[
            Evidence(str(COMPARISONS.get(k, k)), float(v))
            for k, v in sorted(pair.evidence.items(), key=lambda kv: -abs(kv[1]))
        ],
    )


def queue(user: Any, source: str = "") -> list[PairView]:
    """The pairs to review, most likely first (references and evidence, never a name)."""
    if not may_review(user):
        raise NotFound(_("No such perpetrator"))
    rows = PerpetratorPair.objects.filter(status=PairStatus.PENDING).select_related("left", "right")
    found = [_view(p) for p in rows]
    audit.record(user, "list", "perpetrator_pair", reason=f"{len(found)} pairs", source=source)
    return found


def pair(user: Any, pair_id: int, source: str = "") -> PairView:
    """One pair still to review (NotFound when decided, gone, or not the reader's to see)."""
    if not may_review(user):
        raise NotFound(_("No such pair"))
    row = (
        PerpetratorPair.objects.filter(pk=pair_id, status=PairStatus.PENDING)
        .select_related("left", "right")
        .first()
    )
    if row is None:
        raise NotFound(_("No such pair"))
    audit.record(user, "view", "perpetrator_pair", row.pk, source=source)
    return _view(row)


def decide(user: Any, pair_id: int, decision: str, source: str = "") -> Perpetrator | None:
    """``same``: the two records are merged (the left kept); ``different``: they stay apart,
    and linkage will not propose them again. Returns the record kept after a merge."""
    if not may_review(user):
        raise NotFound(_("No such pair"))
    if decision not in ("same", "different"):
        raise Invalid(_("Say whether the two records are the same person or not."), "decision")
    with transaction.atomic():
        pair = (
            PerpetratorPair.objects.select_for_update()
            .filter(pk=pair_id, status=PairStatus.PENDING)
            .first()
        )
        if pair is None:
            raise NotFound(_("No such pair"))
        keep, other = pair.left, pair.right
        audit.record(user, "decide", "perpetrator_pair", pair.pk, reason=decision, source=source)
        if decision == "different":
            pair.status = PairStatus.REJECTED
            pair.decided_by = user
            pair.decided_at = timezone.now()
            pair.save(update_fields=["status", "decided_by", "decided_at"])
            return None
        _carry_rejections(keep.pk, other.pk)
        return service.merge(user, keep, other, source=source)  # the pair goes with ``other``


def _carry_rejections(keep: int, other: int) -> None:
    """Before ``other`` merges into ``keep``: what reviewers said ``other`` is not, ``keep``
    is not either (its open pairs go: the next run scores the merged record afresh)."""
    for pair in PerpetratorPair.objects.filter(
        Q(left_id=other) | Q(right_id=other), status=PairStatus.REJECTED
    ):
        third = pair.right_id if pair.left_id == other else pair.left_id
        left, right = sorted((keep, third))
        if (
            third != keep
            and not PerpetratorPair.objects.filter(left_id=left, right_id=right).exists()
        ):
            pair.left_id, pair.right_id = left, right
            pair.save(update_fields=["left", "right"])
