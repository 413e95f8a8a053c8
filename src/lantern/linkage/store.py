"""Linkage on the store: read names where the policy allows, write back person keys and evidence.

Linking needs names, so :func:`export_records` decrypts them, but only for a user the policy
layer allows ``("linkage", "run")`` (or a system task), and writes one audit entry per run with
how many persons were read and which fields. :func:`link_store` then writes back only
pseudonymous keys (``PersonLink.cluster_key``, a person key of the child's cluster) and match
evidence (per-comparison match weights), and obeys every review decision a person has made.
:func:`store_capture_histories` turns the linked store into the capture-history table that
multiple systems estimation reads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from django.db import transaction
from django.utils import timezone

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.cases.models import Case, Consent
from lantern.estimation import CaptureTable
from lantern.linkage.models import LinkRun, MatchPair, PersonLink, ReviewDecision
from lantern.linkage.tracing import is_consenting
from lantern.recordlinkage import LINKAGE_COLUMNS, Decision, LinkageOptions, link_records

#: Identifying Person fields that linkage decrypts (the audit entry names them).
FIELDS_READ: tuple[str, ...] = (
    "given_name",
    "family_name",
    "nickname",
    "birthdate",
    "identity_number",
    "home_city",
)
#: Case fields a capture-history stratum may select on (coded, non-identifying).
STRATUM_FIELDS: tuple[str, ...] = (
    "gender",
    "age_group",
    "citizenship",
    "primary_form",
    "trafficking_status",
)
_BATCH = 5000


class LinkageRefused(PermissionError):
    """The user may not run (or review) linkage; nothing was read."""


def _check(user: Any, action: str) -> None:
    if user is None:  # a system task started in code, never reachable over the network
        return
    if not policy.allows(user, "linkage", action):
        who = getattr(user, "username", "?")
        raise LinkageRefused(f"{who} ({getattr(user, 'role', '?')}) may not {action} linkage")


def _tracing_consent(case_ids: Sequence[int]) -> dict[int, str]:
    answers: dict[int, list[bool | None]] = {}
    for case_id, value in Consent.objects.filter(
        case_id__in=case_ids, item="family_tracing"
    ).values_list("case_id", "value"):
        answers.setdefault(case_id, []).append(value)
    return {
        case_id: "yes" if is_consenting(values) else ("no" if False in values else "")
        for case_id, values in answers.items()
    }


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def store_records() -> pd.DataFrame:
    """Every case of the store as one record-format row (names decrypted), plus its keys.

    Internal: callers check the policy and write the audit entry. The extra columns
    ``case_id``, ``person_id`` and ``person_key`` map a record back to the store.
    """
    rows: list[dict[str, Any]] = []
    cases = (
        Case.objects.select_related("person", "agency")
        .prefetch_related("events", "exploitations")
        .order_by("pk")
    )
    for start in range(0, cases.count(), _BATCH):
        batch = list(cases[start : start + _BATCH])
        consent = _tracing_consent([c.pk for c in batch])
        for case in batch:
            person = case.person
            rows.append(
                {
                    "agency": case.agency.code,
                    "source_record_id": case.source_record_id,
                    "cas_RegistrationDate": case.registration_date.isoformat(),
                    "prs_FirstName": person.given_name,
                    "prs_SecondName": person.family_name,
                    "ext_Nickname": person.nickname,
                    "prs_Gender": person.gender,
                    "prs_Birthdate": str(person.birthdate) if person.birthdate else "",
                    "ext_BirthdateEstimated": _flag(person.birthdate_estimated),
                    "ext_StatedAge": (
                        ""
                        if case.age_at_identification is None
                        else str(case.age_at_identification)
                    ),
                    "prs_Citizenship": ";".join(person.citizenship or []),
                    "prs_IdentityNumber": person.identity_number,
                    "prs_MailingCountry": person.home_country,
                    "prs_MailingState": person.home_state,
                    "prs_MailingCity": person.home_city,
                    "prs_MailingStreet": person.address,  # street or village, postcode kept in it
                    "prs_MailingPostalCode": "",
                    "con_TracingConsent": consent.get(case.pk, ""),
                    **_circumstances(case),
                    "case_id": case.pk,
                    "person_id": person.pk,
                    "person_key": str(person.key),
                }
            )
    return pd.DataFrame(rows, columns=_COLUMNS)


def _circumstances(case: Case) -> dict[str, str]:
    """The case's journey and coded circumstances in the record format (what linkage reads
    of them: not identifying, so not decrypted and not named in the audit)."""
    return {
        "hte_Events": json.dumps(
            [
                {"type": e.type, "date": e.date.isoformat() if e.date else None, "city": e.city}
                for e in case.events.all()
            ]
        ),
        "ext_Exploitations": json.dumps(
            [{"start": x.start.isoformat() if x.start else None} for x in case.exploitations.all()]
        ),
        "vic_TypeOfExploitation": ";".join(case.forms_of_exploitation or []),
        "vic_AgeWhenTrafficked": (
            "" if case.age_at_recruitment is None else str(case.age_at_recruitment)
        ),
        "vic_MethodOfRecruitment": case.method_of_recruitment,
        "vic_RelationshipToTrafficker": case.relationship_to_trafficker,
        "vic_MethodsOfControl": ";".join(case.methods_of_control or []),
        "ext_Vulnerabilities": ";".join(case.vulnerabilities or []),
    }


KEY_COLUMNS = ("case_id", "person_id", "person_key")
_COLUMNS = [*LINKAGE_COLUMNS, *KEY_COLUMNS]


def audit_read(user: Any, persons: int, reason: str, source: str) -> None:
    """One audit entry for a bulk read of identifying fields (never one per person)."""
    audit.record(
        user,
        "read",
        "person",
        f"{persons} persons",
        FIELDS_READ,
        reason=reason,
        source=source or ("task" if user is None else "linkage"),
    )


def export_records(user: Any, source: str = "") -> pd.DataFrame:
    """The store in the agency record format, for linkage: names decrypted, read audited.

    Raises :class:`LinkageRefused` unless the policy allows ``user`` to run linkage (``None``
    is a system task).
    """
    _check(user, "run")
    records = store_records()
    audit_read(user, records["person_id"].nunique(), "linkage: records exported", source)
    return records.drop(columns=list(KEY_COLUMNS))


def _decisions(records: pd.DataFrame) -> tuple[list[Decision], int]:
    """Reviewers' decisions as pipeline decisions, plus one person's several cases kept as one."""
    unique_id = records["agency"] + "|" + records["source_record_id"]
    first = pd.Series(unique_id.to_numpy(), index=records["person_id"].to_numpy())
    first = first[~first.index.duplicated()]
    decisions: list[Decision] = []
    applied = 0
    for a, b, same in ReviewDecision.objects.values_list("person_a_id", "person_b_id", "same"):
        if a in first.index and b in first.index and a != b:
            decisions.append(Decision(first[a], first[b], "same" if same else "different"))
            applied += 1
    for person_id, uid in zip(records["person_id"], unique_id, strict=True):
        if first[person_id] != uid:  # a second case of one person: the same child by definition
            decisions.append(Decision(first[person_id], uid, "same"))
    return decisions, applied


def link_store(user: Any, options: LinkageOptions | None = None, source: str = "") -> LinkRun:
    """Link every record in the store; replace the previous run's links and evidence.

    Each person gets a ``PersonLink`` to its child's cluster key (the person key of the
    cluster's first record); each pair at or above the review floor is kept as a
    ``MatchPair`` with its per-comparison match weights. Names never leave this function.
    """
    _check(user, "run")
    options = options or LinkageOptions()
    run = LinkRun.objects.create(
        started_by=user,
        threshold=options.threshold,
        review_floor=options.review_floor,
        backend=options.backend,
    )
    try:
        frame = store_records()
        audit_read(
            user, frame["person_id"].nunique(), f"linkage run {run.pk}: records linked", source
        )
        decisions, applied = _decisions(frame)
        records = frame.drop(columns=list(KEY_COLUMNS))
        result = link_records(records, options, decisions) if len(records) else None
    except Exception:
        run.delete()
        raise
    _write(run, frame, result, applied)
    from lantern.linkage.services import invalidate_index

    invalidate_index()
    return run


def _write(run: LinkRun, frame: pd.DataFrame, result: Any, applied: int) -> None:
    uid = (frame["agency"] + "|" + frame["source_record_id"]).to_numpy()
    person_of = pd.Series(frame["person_id"].to_numpy(), index=uid)
    key_of = pd.Series(frame["person_key"].to_numpy(), index=uid)
    links: list[PersonLink] = []
    pairs: list[MatchPair] = []
    if result is not None:
        cluster = pd.Series(
            result.clusters["cluster_id"].to_numpy(),
            index=(
                result.clusters["agency"] + "|" + result.clusters["source_record_id"]
            ).to_numpy(),
        )
        cluster_key = key_of.reindex(cluster.to_numpy()).to_numpy()
        seen: set[int] = set()
        for record, key in zip(cluster.index, cluster_key, strict=True):
            person = int(person_of[record])
            if person not in seen:
                seen.add(person)
                links.append(PersonLink(person_id=person, cluster_key=str(key), run=run))
        weights = [c for c in result.pairs.columns if c.startswith("mw_")]
        for row in result.pairs.itertuples(index=False):
            a, b = int(person_of[row.unique_id_l]), int(person_of[row.unique_id_r])
            if a == b:
                continue
            evidence = {c[3:]: round(float(getattr(row, c)), 3) for c in weights}
            pairs.append(
                MatchPair(
                    run=run,
                    person_a_id=min(a, b),
                    person_b_id=max(a, b),
                    probability=float(row.match_probability),
                    evidence=evidence,
                    linked=row.band == "link" or row.decision == "same",
                )
            )
    with transaction.atomic():
        PersonLink.objects.all().delete()
        PersonLink.objects.bulk_create(links, batch_size=_BATCH)
        MatchPair.objects.exclude(run=run).delete()
        MatchPair.objects.bulk_create(pairs, batch_size=_BATCH)
        run.records = len(frame)
        run.clusters = len({link.cluster_key for link in links})
        run.decisions_applied = applied
        run.scored_pairs = len(pairs)
        run.review = sum(1 for p in pairs if not p.linked and p.probability < run.threshold)
        run.model = (
            result.model | {"quality": result.quality().to_dict()} if result is not None else {}
        )
        run.finished_at = timezone.now()
        run.save()


def child_keys() -> dict[int, str]:
    """Person id -> the child's key: the linked cluster key, else the person's own key."""
    from lantern.cases.models import Person

    keys = {pk: str(key) for pk, key in Person.objects.values_list("pk", "key")}
    keys.update(PersonLink.objects.values_list("person_id", "cluster_key"))
    return keys


def store_capture_histories(
    agencies: Sequence[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    stratum: Mapping[str, str] | None = None,
) -> CaptureTable:
    """Capture histories of the children in the store, over agencies (the lists).

    A child is the linkage cluster of its records (``PersonLink.cluster_key``), or its own
    person key when it was never linked. A child is on an agency's list when that agency
    registered a case of it between ``start`` and ``end`` (inclusive; open when None).
    ``agencies`` chooses the lists and their order (default: every agency with a case in the
    period, sorted by code). ``stratum`` selects children by coded case fields
    (:data:`STRATUM_FIELDS`, e.g. ``{"gender": "Feminine", "age_group": "15-17"}``): a child's
    value is the most frequent one among its cases in the period, so that a child is counted
    in one stratum, not once per agency that wrote it differently. Raises ``ValueError`` for an
    unknown stratum field, and :class:`~lantern.estimation.CaptureTableError` unless there are
    2 to 10 lists.
    """
    stratum = dict(stratum or {})
    unknown = sorted(set(stratum) - set(STRATUM_FIELDS))
    if unknown:
        raise ValueError(
            f"stratum field(s) {', '.join(unknown)} unknown; use {', '.join(STRATUM_FIELDS)}"
        )
    cases = Case.objects.all()
    if agencies is not None:
        cases = cases.filter(agency__code__in=list(agencies))
    if start is not None:
        cases = cases.filter(registration_date__gte=start)
    if end is not None:
        cases = cases.filter(registration_date__lte=end)
    keys = child_keys()
    lists: dict[str, set[str]] = {}
    values: dict[str, dict[str, Counter[str]]] = {}
    fields = list(stratum)
    rows = cases.order_by("registration_date", "pk").values_list(
        "person_id", "agency__code", *fields
    )
    for person_id, agency, *coded in rows.iterator(chunk_size=_BATCH):
        child = keys[person_id]
        lists.setdefault(child, set()).add(agency)
        for field, value in zip(fields, coded, strict=True):
            values.setdefault(child, {}).setdefault(field, Counter())[value] += 1
    names = (
        list(agencies) if agencies is not None else sorted({a for s in lists.values() for a in s})
    )
    histories = []
    for child, seen in lists.items():
        if any(
            values[child][field].most_common(1)[0][0] != wanted for field, wanted in stratum.items()
        ):
            continue
        histories.append(([int(name in seen) for name in names], 1))
    return CaptureTable.from_histories(names, histories)
