"""Today's import path (before #16's fast import), kept so the benchmark measures it beside
the new one in the same run: the same reading and row checks, written through the ORM's
``bulk_create``/``bulk_update`` with audit entries held in memory until the end. This is
the ``_Loader`` of ``lantern.cases.importing.loader`` at 92419e3, unchanged but for its
imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from lantern.accounts import policy
from lantern.accounts.models import Agency, Team
from lantern.audit import services as audit
from lantern.cases import workflow
from lantern.cases.importing.loader import ImportRefused, ImportReport, story_replaced
from lantern.cases.importing.readers import read_rows
from lantern.cases.importing.rows import Record, parse_row
from lantern.cases.importing.writer import CASE_FIELDS, PERSON_FIELDS
from lantern.cases.models import (
    Actor,
    ActorRole,
    Case,
    CaseTransition,
    Consent,
    Exploitation,
    LifecycleState,
    Person,
    TraffickingEvent,
)
from lantern.vault import blind_index

CHUNK = 1000


def import_today(path: Path, user: Any, limit: int) -> ImportReport:
    """The first ``limit`` rows of ``path`` imported the way ``lantern import`` did before,
    in one transaction that is then rolled back (the store is left as it was)."""
    report = ImportReport()
    with transaction.atomic():
        loader = _Loader(user, policy.Scope.NATIONAL, report, None)
        chunk: list[Record] = []
        for n, data in read_rows(path):
            if n > limit:
                break
            report.rows += 1
            parsed = parse_row(n, data)
            if isinstance(parsed, list):
                report.errors.extend(parsed)
            else:
                chunk.append(parsed)
            if len(chunk) >= CHUNK:
                loader.write(chunk)
                chunk = []
        loader.write(chunk)
        loader.flush_audit()
        _check_deferred_constraints()  # what the commit would do, before rolling back
        transaction.set_rollback(True)
    return report


def _check_deferred_constraints() -> None:
    """PostgreSQL checks Django's foreign keys (``DEFERRABLE INITIALLY DEFERRED``) at commit,
    row by row; a rollback skips them. They are checked here, so that a measurement rolled
    back pays what a committed import pays."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


class _Loader:
    def __init__(
        self, user: Any, scope: policy.Scope, report: ImportReport, team: str | None
    ) -> None:
        self.user, self.scope, self.report, self.team_name = user, scope, report, team
        self.agencies: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
        self.teams: dict[int, Team | None] = {}
        self.pending: list[audit.Pending] = []

    def _agency(self, rec: Record) -> Agency:
        agency = self.agencies.get(rec.agency)
        if agency is None:
            if self.scope is not policy.Scope.NATIONAL:
                raise ImportRefused(
                    f"row {rec.row}: agency {rec.agency!r} does not exist, and "
                    "only a national-scope import may create agencies"
                )
            agency = Agency.objects.create(
                code=rec.agency,
                name=rec.agency.replace("-", " ").title(),
                type=rec.agency_type,
            )
            self.agencies[rec.agency] = agency
            self.report.agencies_created.append(rec.agency)
            self.pending.append(audit.Pending("create", "agency", agency.code, reason="import"))
        if self.scope is not policy.Scope.NATIONAL and agency.pk != self.user.agency_id:
            raise ImportRefused(
                f"row {rec.row}: {self.user.username} may import only into "
                f"their own agency, not {rec.agency!r}"
            )
        return agency

    def _team(self, agency: Agency) -> Team | None:
        if agency.pk not in self.teams:
            qs = agency.teams.all()
            if self.team_name:
                qs = qs.filter(name=self.team_name)
            self.teams[agency.pk] = qs.order_by("pk").first()
        return self.teams[agency.pk]

    def write(self, records: Iterable[Record]) -> None:
        records = list(records)
        if not records:
            return
        by_key: dict[tuple[int, str], Record] = {}
        for rec in records:  # a source id repeated within a chunk: the last row wins
            by_key[(self._agency(rec).pk, rec.source_record_id)] = rec
        existing = {
            (c.agency_id, c.source_record_id): c
            for c in Case.objects.select_for_update(of=("self",))
            .filter(
                agency_id__in={k[0] for k in by_key},
                source_record_id__in={k[1] for k in by_key},
            )
            .select_related("person")
        }
        new: list[tuple[tuple[int, str], Record]] = []
        changed: list[tuple[Case, Record]] = []
        for key, rec in by_key.items():
            case = existing.get(key)
            if case is None:
                new.append((key, rec))
            elif case.source_digest == rec.digest:
                self.report.unchanged += 1
            else:
                changed.append((case, rec))
        self._create(new)
        self._update(changed)

    def _person_values(self, rec: Record) -> dict[str, Any]:
        values = dict(rec.person)
        number = values.get("identity_number") or ""
        values["identity_number_index"] = blind_index(number, "identity_number") if number else ""
        return values

    def _case_values(
        self, rec: Record, worked: bool = False, open_here: bool = False
    ) -> dict[str, Any]:
        """A record's case fields; its state through the workflow (``workflow.imported``), and
        none at all for a case already worked through the state machine here (``worked``). A
        file never closes a case that is open here (``open_here``): a user closes a case only
        through a closure request a supervisor approves (``lantern.protection.closure``)."""
        values = {**rec.case, "source_digest": rec.digest}
        status, outcome = values.pop("status"), values.pop("outcome")
        if not worked:
            state = workflow.imported(status, outcome or "")
            if not (open_here and state["state"] == LifecycleState.CLOSED):
                values.update(state)
        return values

    def _create(self, items: list[tuple[tuple[int, str], Record]]) -> None:
        if not items:
            return
        persons = Person.objects.bulk_create([Person(**self._person_values(r)) for _, r in items])
        cases = []
        for (_key, rec), person in zip(items, persons, strict=True):
            agency = self.agencies[rec.agency]
            case = Case(
                person=person,
                agency=agency,
                source_record_id=rec.source_record_id,
                team=self._team(agency),
                area=agency.area,
                **self._case_values(rec),
            )
            case.reference = "C-" + person.key.hex[:10].upper()
            cases.append(case)
        cases = Case.objects.bulk_create(cases)
        self._children([(c, r) for c, (_, r) in zip(cases, items, strict=True)])
        self.report.created += len(cases)
        self.pending.extend(
            audit.Pending("create", "case", c.reference, reason="import") for c in cases
        )

    def _update(self, items: list[tuple[Case, Record]]) -> None:
        if not items:
            return
        persons, cases = [], []
        worked = set(
            CaseTransition.objects.filter(case_id__in=[c.pk for c, _ in items]).values_list(
                "case_id", flat=True
            )
        )
        for case, rec in items:
            for k, v in self._person_values(rec).items():
                setattr(case.person, k, v)
            open_here = case.state != LifecycleState.CLOSED
            for k, v in self._case_values(rec, case.pk in worked, open_here).items():
                setattr(case, k, v)
            persons.append(case.person)
            cases.append(case)
        Person.objects.bulk_update(persons, PERSON_FIELDS, batch_size=500)
        Case.objects.bulk_update(cases, CASE_FIELDS, batch_size=500)
        ids = [c.pk for c in cases]
        story_replaced.send(_Loader, user=self.user, case_ids=ids)
        for model in (TraffickingEvent, Exploitation, ActorRole, Consent):
            model.objects.filter(case_id__in=ids).delete()
        self._children(items)
        self.report.updated += len(cases)
        self.pending.extend(
            audit.Pending("update", "case", c.reference, reason="import") for c in cases
        )

    def _children(self, items: list[tuple[Case, Record]]) -> None:
        events, exps, consents = [], [], []
        actor_keys: set[tuple[int, str]] = set()
        for case, rec in items:
            events += [TraffickingEvent(case=case, **e) for e in rec.events]
            exps += [Exploitation(case=case, **x) for x in rec.exploitations]
            consents += [
                Consent(case=case, item=item, value=v, given_by="")
                for item, v in rec.consents.items()
                if v is not None
            ]
            actor_keys |= {(case.agency_id, a["ref"]) for a in rec.actors}
        TraffickingEvent.objects.bulk_create(events, batch_size=1000)
        Exploitation.objects.bulk_create(exps, batch_size=1000)
        Consent.objects.bulk_create(consents, batch_size=1000)
        if not actor_keys:
            return
        actors = {
            (a.agency_id, a.ref): a
            for a in Actor.objects.filter(
                agency_id__in={k[0] for k in actor_keys}, ref__in={k[1] for k in actor_keys}
            )
        }
        missing = [k for k in actor_keys if k not in actors]
        network = {(c.agency_id, a["ref"]): a["network_ref"] for c, r in items for a in r.actors}
        created = Actor.objects.bulk_create(
            [Actor(agency_id=k[0], ref=k[1], network_ref=network.get(k, "")) for k in missing]
        )
        actors.update({(a.agency_id, a.ref): a for a in created})
        roles = {
            (case.pk, a["ref"], a["role"]): ActorRole(
                actor=actors[(case.agency_id, a["ref"])],
                case=case,
                role=a["role"],
                relationship=a["relationship"],
            )
            for case, rec in items
            for a in rec.actors
        }
        ActorRole.objects.bulk_create(list(roles.values()), batch_size=1000)

    def flush_audit(self) -> None:
        audit.record_many(self.user, self.pending, source="cli import")
        self.pending = []
