"""Upsert validated records in bulk, keyed by agency + source record id.

Valid rows are written in one transaction; with ``strict`` the transaction is rolled back when
any row fails, so nothing is imported. A column of Lantern's own shape that no field reads
(``columns``) refuses the whole file, unless ``ignore_unknown_columns`` makes it a warning.
A row whose content is unchanged since its last import is skipped, so re-importing a file
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from lantern.accounts import policy
from lantern.accounts.models import Agency, Team
from lantern.audit import services as audit
from lantern.cases import workflow
from lantern.cases.importing.columns import UnknownColumn, unknown_columns
from lantern.cases.importing.readers import keys_vary_by_row, read_rows
from lantern.cases.importing.rows import Record, RowError, parse_row
from lantern.cases.importing.sources import Applied, SourceContext, UnknownSource, source
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

#: Sent once an import has committed, with its ``report``: records may have changed in place,
#: so whatever holds a copy of them refreshes it (the linkage search index listens).
records_imported = Signal()
#: Sent inside the import's transaction, with the ``user`` and the ``case_ids``, just before an
#: updated row's journey, episodes and actors are replaced by the file's: a case's history
#: keeps what was recorded here and is about to go (the story's history listens).
story_replaced = Signal()

CHUNK = 1000
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


class ImportRefused(PermissionError):
    """The user may not import (some of) these records; nothing was imported."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    strict: bool = False
    rolled_back: bool = False
    #: Columns no field reads: the file was refused, or (``columns_ignored``) imported without.
    unknown_columns: list[UnknownColumn] = field(default_factory=list)
    columns_ignored: bool = False

    @property
    def refused_columns(self) -> bool:
        """The file was refused for its unknown columns: nothing was imported."""
        return bool(self.unknown_columns) and not self.columns_ignored

    @property
    def imported(self) -> int:
        return self.created + self.updated

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def import_file(
    path: Path,
    user: Any,
    strict: bool = False,
    team: str | None = None,
    progress: Callable[[int], None] | None = None,
    source_format: str = "htcds",
    agency: str | None = None,
    ignore_unknown_columns: bool = False,
) -> ImportReport:
    """Import ``path`` as ``user`` (asked of the policy layer for every agency it touches).

    ``source_format`` names the shape of the file's rows (``sources.SOURCES``); ``agency`` the
    agency whose records they are when that shape has no agency column. A column of Lantern's
    own shape that no field reads refuses the file (``report.refused_columns``, nothing
    imported) unless ``ignore_unknown_columns``: then it is listed and its values dropped."""
    scope = policy.scope_for(user, "case", "import")
    if scope is None:
        raise ImportRefused(f"{user.username} ({user.role}) may not import cases")
    try:
        translate = source(source_format)
    except UnknownSource as exc:
        raise ImportRefused(str(exc)) from exc
    context = SourceContext(
        agency=agency,
        user_agency=getattr(user.agency, "code", None),
        user=user,
        ignore_unknown_columns=ignore_unknown_columns,
    )
    report = ImportReport(strict=strict, columns_ignored=ignore_unknown_columns)
    loader = _Loader(user, scope, report, team)
    # Other sources map their own columns; Lantern's shape is checked here, once per key set.
    columns = _Columns(report, keys_vary_by_row(path)) if source_format == "htcds" else None
    with transaction.atomic():
        chunk: list[Record] = []
        for n, data in translate(read_rows(path), context):
            report.rows += 1
            if columns is not None and isinstance(data, dict) and columns.stop(data):
                break
            if report.refused_columns:
                continue  # only the rest of the file's columns are looked at now
            parsed = parse_row(n, data) if isinstance(data, dict) else data
            if isinstance(parsed, Applied):  # a screening or a visit its source recorded
                report.created += parsed.created
                report.unchanged += parsed.unchanged
            elif isinstance(parsed, list):
                report.errors.extend(parsed)
            else:
                chunk.append(parsed)
            if len(chunk) >= CHUNK:
                loader.write(chunk)
                chunk = []
            if progress and report.rows % 500 == 0:
                progress(500)
        if report.refused_columns:
            transaction.set_rollback(True)
            report.rolled_back = True
            report.created = report.updated = report.unchanged = 0
            report.agencies_created, report.errors = [], []
            return report
        loader.write(chunk)
        if progress:
            progress(report.rows % 500)
        loader.flush_audit()
        transaction.on_commit(lambda: records_imported.send(ImportReport, report=report))
        if strict and report.errors:
            transaction.set_rollback(True)
            report.rolled_back = True
            report.created = report.updated = report.unchanged = 0
            report.agencies_created = []
    return report


class _Columns:
    """Checks each new set of keys against Lantern's columns, noting each unknown one once."""

    def __init__(self, report: ImportReport, keys_vary: bool) -> None:
        self.report, self.keys_vary = report, keys_vary
        self.last: set[str] = set()

    def stop(self, data: dict[str, Any]) -> bool:
        """Whether reading can stop: the file is refused and no later row can add a column."""
        if data.keys() != self.last:
            self.last = set(data)
            noted = {u.name for u in self.report.unknown_columns}
            self.report.unknown_columns += [u for u in unknown_columns(data) if u.name not in noted]
        return self.report.refused_columns and not self.keys_vary


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
