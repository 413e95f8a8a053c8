"""Write a chunk of validated records: new ones in bulk, changed ones updated, the rest skipped.

New records, the bulk of any large import, go through ``lantern.bulkwrite``: the person's
fields sealed with the key ring read once, plain tuples written with ``executemany`` (SQLite)
or ``COPY`` (PostgreSQL), ids reserved up front so that cases, episodes and actor roles point
at their rows without reading them back. Only the key, the digest and the id of a record
already in the store are read to find it unchanged. Changed records (rarer, and with history
to keep) are updated through the ORM. Audit entries wait on disk, not in memory, until the
import ends (``audit_entries``), so memory stays flat in the number of rows.
"""

from __future__ import annotations

import json
import operator
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.db import connection
from django.dispatch import Signal

from lantern.accounts import policy
from lantern.accounts.models import Agency, Team
from lantern.audit import services as audit
from lantern.bulkwrite import Writer
from lantern.cases import workflow
from lantern.cases.importing.rows import Record
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

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "nickname",
    "name_script",
    "birthdate",
    "birthdate_estimated",
    "identity_number",
    "identity_number_index",
    "address",
    "home_city",
    "home_state",
    "home_country",
    "gender",
    "citizenship",
    "primary_language",
)
CASE_FIELDS = (
    "registration_date",
    "registration_date_precision",
    "intake_channel",
    "state",
    "status",
    "outcome",
    "trafficking_status",
    "trafficking_status_decided_by",
    "trafficking_determination_source",
    "relationship_to_trafficker",
    "age_evidence",
    "age_at_identification",
    "age_at_recruitment",
    "age_at_exploitation",
    "documented_age",
    "age_min",
    "age_max",
    "age_group",
    "gender",
    "citizenship",
    "method_of_recruitment",
    "methods_of_control",
    "forms_of_exploitation",
    "primary_form",
    "sex_exploitation_types",
    "vulnerabilities",
    "smuggled",
    "source_digest",
)
STATE_FIELDS = ("state", "status", "outcome")
EVENT_FIELDS = ("seq", "type", "date", "country", "state", "city", "transport", "crossing")
EPISODE_FIELDS = ("seq", "form", "isic_section", "start", "end", "country")
#: A record's person and case fields in the order the writers take them (one step a row).
_person_row = operator.itemgetter(*PERSON_FIELDS)
_case_row = operator.itemgetter(*CASE_FIELDS)
_event_row = operator.itemgetter(*EVENT_FIELDS)
_episode_row = operator.itemgetter(*EPISODE_FIELDS)


class ImportRefused(PermissionError):
    """The user may not import (some of) these records; nothing was imported."""


@cache
def _imported_state(status: str, outcome: str) -> tuple[str, str, str]:
    """``workflow.imported`` for one (status, outcome): the same few pairs in every file."""
    state = workflow.imported(status, outcome)
    return state["state"], state["status"], state["outcome"]


class RecordWriter:
    """Writes chunks of one import's records as ``user``, inside the import's transaction."""

    def __init__(
        self,
        user: Any,
        scope: policy.Scope,
        report: Any,
        team: str | None,
        story_replaced: Signal,
    ) -> None:
        self.user, self.scope, self.report, self.team_name = user, scope, report, team
        self.story_replaced = story_replaced
        self.agencies: dict[str, Agency] = {a.code: a for a in Agency.objects.all()}
        self.teams: dict[int, Team | None] = {}
        self.pending = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115
        self.persons = Writer(Person, ("key", *PERSON_FIELDS))
        self.cases = Writer(
            Case,
            (
                "person_id",
                "agency_id",
                "source_record_id",
                "reference",
                "team_id",
                "area_id",
                *CASE_FIELDS,
            ),
        )
        self.events = Writer(TraffickingEvent, ("case_id", *EVENT_FIELDS))
        self.episodes = Writer(Exploitation, ("case_id", *EPISODE_FIELDS))
        self.consents = Writer(Consent, ("case_id", "item", "value", "given_by"))
        self.actors = Writer(Actor, ("agency_id", "ref", "network_ref"))
        self.roles = Writer(ActorRole, ("actor_id", "case_id", "role", "relationship"))

    def _note(self, action: str, resource: str, record_id: str) -> None:
        self.pending.write(f"{action}\t{resource}\t{record_id}\n")

    def audit_entries(self) -> Iterator[audit.Pending]:
        """The entries noted so far, read back from disk in the order they were noted."""
        self.pending.flush()
        self.pending.seek(0)
        for line in self.pending:
            action, resource, record_id = line.rstrip("\n").split("\t")
            yield audit.Pending(action, resource, record_id, reason="import")

    def close(self) -> None:
        self.pending.close()

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
            self._note("create", "agency", agency.code)
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

    def write(self, records: list[Record]) -> None:
        if not records:
            return
        by_key: dict[tuple[int, str], Record] = {}
        for rec in records:  # a source id repeated within a chunk: the last row wins
            by_key[(self._agency(rec).pk, rec.source_record_id)] = rec
        existing = {
            (agency_id, source_id): (pk, digest)
            for pk, agency_id, source_id, digest in _by_keys(
                Case, ("source_digest",), "source_record_id", by_key, lock=True
            )
        }
        new: list[Record] = []
        changed: dict[int, Record] = {}
        for key, rec in by_key.items():
            found = existing.get(key)
            if found is None:
                new.append(rec)
            elif found[1] == rec.digest:
                self.report.unchanged += 1
            else:
                changed[found[0]] = rec
        self._create(new)
        self._update(changed)
        _check_foreign_keys()

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
            state = dict(zip(STATE_FIELDS, _imported_state(status, outcome or ""), strict=True))
            if not (open_here and state["state"] == LifecycleState.CLOSED):
                values.update(state)
        return values

    def _create(self, records: list[Record]) -> None:
        if not records:
            return
        person_ids = self.persons.reserve(len(records))
        case_ids = self.cases.reserve(len(records))
        persons, cases = [], []
        new_key = Person._meta.get_field("key").get_default
        for rec, person_id in zip(records, person_ids, strict=True):
            key = new_key()
            persons.append((key, *_person_row(self._person_values(rec))))
            agency = self.agencies[rec.agency]
            team = self._team(agency)
            reference = "C-" + key.hex[:10].upper()
            cases.append(
                (
                    person_id,
                    agency.pk,
                    rec.source_record_id,
                    reference,
                    team.pk if team else None,
                    agency.area_id,
                    *_case_row(self._case_values(rec)),
                )
            )
            self._note("create", "case", reference)
        self.persons.insert(persons, person_ids)
        self.cases.insert(cases, case_ids)
        self._children(
            [
                (case_id, self.agencies[rec.agency].pk, rec)
                for case_id, rec in zip(case_ids, records, strict=True)
            ]
        )
        self.report.created += len(records)

    def _update(self, changed: dict[int, Record]) -> None:
        if not changed:
            return
        items = [
            (case, changed[case.pk])
            for case in Case.objects.filter(pk__in=list(changed))
            .select_related("person")
            .order_by("pk")
        ]
        worked = set(
            CaseTransition.objects.filter(case_id__in=list(changed)).values_list(
                "case_id", flat=True
            )
        )
        persons, cases = [], []
        for case, rec in items:
            for k, v in self._person_values(rec).items():
                if f"person.{k}" not in rec.keep:
                    setattr(case.person, k, v)
            open_here = case.state != LifecycleState.CLOSED
            for k, v in self._case_values(rec, case.pk in worked, open_here).items():
                if f"case.{k}" not in rec.keep:
                    setattr(case, k, v)
            persons.append(case.person)
            cases.append(case)
        Person.objects.bulk_update(persons, PERSON_FIELDS, batch_size=500)
        Case.objects.bulk_update(cases, CASE_FIELDS, batch_size=500)
        ids = [c.pk for c in cases]
        self.story_replaced.send(RecordWriter, user=self.user, case_ids=ids)
        for model in (TraffickingEvent, Exploitation, ActorRole, Consent):
            model.objects.filter(case_id__in=ids).delete()
        self._children([(c.pk, c.agency_id, rec) for c, rec in items])
        self.report.updated += len(cases)
        for c in cases:
            self._note("update", "case", c.reference)

    def _children(self, items: list[tuple[int, int, Record]]) -> None:
        """The journey, episodes, consents and actor roles of each (case id, agency id,
        record); actors an agency has not named before are created."""
        events, episodes, consents = [], [], []
        actor_keys: set[tuple[int, str]] = set()
        for case_id, agency_id, rec in items:
            events += [(case_id, *_event_row(e)) for e in rec.events]
            episodes += [(case_id, *_episode_row(x)) for x in rec.exploitations]
            consents += [
                (case_id, item, v, "") for item, v in rec.consents.items() if v is not None
            ]
            actor_keys.update((agency_id, a["ref"]) for a in rec.actors)
        self.events.insert(events)
        self.episodes.insert(episodes)
        self.consents.insert(consents)
        if not actor_keys:
            return
        actors = {
            (agency_id, ref): pk for pk, agency_id, ref in _by_keys(Actor, (), "ref", actor_keys)
        }
        missing = sorted(k for k in actor_keys if k not in actors)
        network = {
            (agency_id, a["ref"]): a["network_ref"]
            for _case, agency_id, rec in items
            for a in rec.actors
        }
        ids = self.actors.reserve(len(missing))
        self.actors.insert([(k[0], k[1], network.get(k, "")) for k in missing], ids)
        actors.update(zip(missing, ids, strict=True))
        roles = {
            (case_id, a["ref"], a["role"]): (
                actors[(agency_id, a["ref"])],
                case_id,
                a["role"],
                a["relationship"],
            )
            for case_id, agency_id, rec in items
            for a in rec.actors
        }
        self.roles.insert(list(roles.values()))


def _by_keys(
    model: type[Any],
    fields: tuple[str, ...],
    name: str,
    keys: Iterable[tuple[int, str]],
    lock: bool = False,
) -> list[tuple[Any, ...]]:
    """(id, agency id, ``name``, *``fields``) of the rows of ``model`` whose agency id is one of
    ``keys``' and whose ``name`` is one of theirs (the unique pair's index finds them), locked
    for the import on PostgreSQL when ``lock``. Each list is one parameter (an array, or a
    JSON list on SQLite), not a placeholder per id to compile and bind: the ORM's ``__in``
    over a chunk's thousand ids cost more than the query."""
    agencies, names = sorted({k[0] for k in keys}), sorted({k[1] for k in keys})
    columns = ", ".join(["id", "agency_id", name, *fields])
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"SELECT {columns} FROM {table} WHERE agency_id = ANY(%s) AND {name} = ANY(%s)"
                + (" FOR UPDATE" if lock else ""),
                [agencies, names],
            )
        else:  # SQLite locks the whole store for the import's transaction
            cur.execute(
                f"SELECT {columns} FROM {table} "
                f"WHERE agency_id IN (SELECT value FROM json_each(%s)) "
                f"AND {name} IN (SELECT value FROM json_each(%s))",
                [json.dumps(agencies), json.dumps(names)],
            )
        return list(cur.fetchall())


def _check_foreign_keys() -> None:
    """Check the chunk's foreign keys now, not all at the commit. PostgreSQL defers Django's
    (``DEFERRABLE INITIALLY DEFERRED``) to the commit, one queued check per row: queued for
    a million records, they took minutes longer than the same checks made chunk by chunk.
    Every key is still checked, inside the import's transaction; the default (deferred) is
    set again afterwards. SQLite checks nothing here (its foreign keys are checked at the
    commit, as before)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
