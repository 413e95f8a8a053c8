"""An incremental refresh of the mart: every kind of change reaches it, whoever wrote it (a save,
a queryset's update, an import's bulk writes, an edit of a journey or an episode, a deletion),
and it holds exactly what a full build holds, row for row, in keyed order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from lantern.cases.models import Case, Exploitation, TraffickingEvent
from lantern.linkage.models import LinkRun, PersonLink
from lantern.monitoring import mart
from tests import factories

pytestmark = pytest.mark.django_db


def rows(info: mart.MartInfo) -> list[dict[str, Any]]:
    return pq.read_table(info.path).to_pylist()


def row_of(info: mart.MartInfo, source_id: str) -> dict[str, Any]:
    case = Case.objects.get(source_record_id=source_id)
    key = mart.pseudonymiser()("case", case.reference)
    return next(r for r in rows(info) if r["case_key"] == key)


def same_as_full(info: mart.MartInfo, tmp_path: Path) -> None:
    """The incremental mart equals a full build of the store as it is, row for row."""
    full = mart.build(out=tmp_path / "full", full=True)
    assert rows(info) == rows(full)
    keys = [r["case_key"] for r in rows(info)]
    assert keys == sorted(keys)  # keyed order, never the store's


def test_a_refresh_reads_only_the_changed_cases_and_equals_a_full_build(
    stats_mart: mart.MartInfo, tmp_path: Path
) -> None:
    read: list[tuple[int, int]] = []
    again = mart.build(progress=lambda done, total: read.append((done, total)))
    assert again.cases == 60 and read[1] == (60, 60)  # every row kept: none read again
    assert rows(again) == rows(stats_mart)
    Case.objects.filter(source_record_id="S3").update(gender="Masculine")  # no save, no signal
    read.clear()
    after = mart.build(progress=lambda done, total: read.append((done, total)))
    assert read[1] == (59, 60) and read[-1] == (60, 60)  # one case read again
    assert row_of(after, "S3")["sex"] == "Masculine"
    same_as_full(after, tmp_path)


def test_every_kind_of_edit_reaches_the_mart(stats_mart: mart.MartInfo, tmp_path: Path) -> None:
    case = Case.objects.get(source_record_id="S1")
    case.citizenship = "ALB"
    case.save()  # a service's save
    Case.objects.filter(source_record_id="S2").update(primary_form="forced_labour")
    event = TraffickingEvent.objects.get(case__source_record_id="S4", type="exploitation")
    event.country, event.state = "THA", "Bangkok"
    event.save()  # the journey edited
    TraffickingEvent.objects.filter(case__source_record_id="S6", type="recruitment").update(
        state="Karnali"
    )  # a queryset's update of a journey
    TraffickingEvent.objects.filter(case__source_record_id="S7", type="exploitation").delete()
    s8 = Case.objects.get(source_record_id="S8")
    TraffickingEvent.objects.create(case=s8, seq=3, type="exploitation", country="MYS")
    Exploitation.objects.filter(case__source_record_id="S9").update(isic_section="A")
    Case.objects.get(source_record_id="S10").delete()
    info = mart.build()
    assert info.cases == 59
    assert row_of(info, "S1")["citizenship"] == "ALB"
    assert row_of(info, "S2")["primary_form"] == "forced_labour"
    assert row_of(info, "S4")["destination_country"] == "THA"
    assert row_of(info, "S6")["origin_state"] == "Karnali"
    assert row_of(info, "S7")["destination_country"] == ""
    assert row_of(info, "S8")["destination_country"] == "MYS"
    assert row_of(info, "S9")["sectors"] == ["A"]
    gone = mart.pseudonymiser()("case", "no such reference")
    assert all(r["case_key"] != gone for r in rows(info))
    same_as_full(info, tmp_path)


def test_an_import_that_changes_and_adds_records_reaches_the_mart(
    stats_mart: mart.MartInfo, tmp_path: Path
) -> None:
    changed = factories.record(1, "ngo-one")
    changed["source_record_id"] = "S1"
    changed["prs_Citizenship"] = "ALB"
    changed["hte_Events"] = json.dumps([{"type": "exploitation", "country": "QAT"}])
    added = factories.record(500, "ngo-one")
    factories.import_records([changed, added], tmp_path)  # bulk writes: no per-row signal
    info = mart.build()
    assert info.cases == 61
    assert row_of(info, "S1")["citizenship"] == "ALB"
    assert row_of(info, "S1")["destination_country"] == "QAT"
    assert row_of(info, added["source_record_id"])["citizenship"] == added["prs_Citizenship"]
    same_as_full(info, tmp_path)


def test_linkage_moves_the_keys_of_cases_that_did_not_change(
    stats_mart: mart.MartInfo, tmp_path: Path
) -> None:
    a, b = (Case.objects.get(source_record_id=s) for s in ("S11", "S12"))
    before = row_of(stats_mart, "S12")["person_key"]
    run = LinkRun.objects.create(threshold=0.9, review_floor=0.5)
    key = str(a.person.key)
    PersonLink.objects.bulk_create(
        [PersonLink(person=p, cluster_key=key, run=run) for p in (a.person, b.person)]
    )
    LinkRun.objects.filter(pk=run.pk).update(finished_at=run.started_at)
    info = mart.build()
    assert row_of(info, "S12")["person_key"] == row_of(info, "S11")["person_key"] != before
    assert row_of(info, "S12")["linked"] and info.linked_cases == 2 and info.children == 59
    same_as_full(info, tmp_path)


def test_the_revision_is_kept_by_the_database_whoever_writes(stats_mart: mart.MartInfo) -> None:
    """The marker the refresh trusts: a queryset's update, a save of a stale copy, and an edit
    or deletion of a journey step or an episode each move it."""

    def revision() -> int:
        return Case.objects.values_list("revision", flat=True).get(source_record_id="S5")

    start = revision()
    stale = Case.objects.get(source_record_id="S5")
    Case.objects.filter(source_record_id="S5").update(outcome="x")
    assert revision() == start + 1
    stale.save()  # an older copy written back: still a change
    assert revision() == start + 2
    TraffickingEvent.objects.filter(case__source_record_id="S5").update(city="Pokhara")
    moved = revision()  # once per step (SQLite) or per statement (PostgreSQL)
    assert moved > start + 2
    Exploitation.objects.filter(case__source_record_id="S5").delete()
    assert revision() > moved


def test_a_mart_of_another_shape_is_built_again_in_full(
    stats_mart: mart.MartInfo, tmp_path: Path
) -> None:
    manifest = json.loads((mart.mart_dir() / "manifest.json").read_text())
    manifest.pop("state")  # a mart built before incremental refreshes
    (mart.mart_dir() / "manifest.json").write_text(json.dumps(manifest))
    read: list[tuple[int, int]] = []
    info = mart.build(progress=lambda done, total: read.append((done, total)))
    assert read[1] == (0, 60) and info.state  # every case read again
    assert rows(info) == rows(stats_mart)


def test_the_organised_corridors_follow_a_change_to_their_cases_and_only_then(
    tmp_path: Path, fast_passwords: None, settings: Any
) -> None:
    """Three traffickers move two children from Nepal to India (organised crime by the rule):
    a refresh with nothing changed keeps the corridors' digest; a journey made domestic moves
    the corridor, as a full build has it."""
    from lantern.perpetrators.enrol import enrol_unlinked
    from tests.perpetrators.conftest import _actors

    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-x")
    records = [factories.record(i, "ngo-x") for i in (11, 12)]
    for row in records:
        row["per_Actors"] = _actors(
            ("A-1", "recruiter", "Acquainted"),
            ("B-2", "transporter", ""),
            ("C-3", "corrupt_official", ""),
        )
    factories.import_records(records, tmp_path)
    enrol_unlinked()
    built = mart.build()
    assert built.organised == ((("NPL", "IND", "cross_border"), 2),) and built.organised_digest
    again = mart.build()
    assert again.organised_digest == built.organised_digest and again.organised == built.organised
    TraffickingEvent.objects.filter(case__source_record_id="R000011").update(country="NPL")
    after = mart.build()
    assert after.organised_digest != built.organised_digest
    assert after.organised != built.organised
    assert after.organised == mart.build(out=tmp_path / "full", full=True).organised


def test_without_its_revision_trigger_the_store_is_read_again_in_full(
    stats_mart: mart.MartInfo, caplog: pytest.LogCaptureFixture
) -> None:
    """A migration that rebuilds the cases table on SQLite drops its triggers without a word:
    the refresh then trusts no revision, reads every case, and says why in the log."""
    from django.db import connection

    from lantern.monitoring import martread

    assert martread.revision_triggers_missing() == frozenset()
    name = "case_revision_au" if connection.vendor == "sqlite" else "case_revision_bu"
    on = "" if connection.vendor == "sqlite" else " ON cases_case"
    with connection.cursor() as cur:
        cur.execute(f"DROP TRIGGER {name}{on}")
    assert martread.revision_triggers_missing() == {name}
    Case.objects.filter(source_record_id="S3").update(gender="Masculine")  # revision unmoved
    read: list[tuple[int, int]] = []
    after = mart.build(progress=lambda done, total: read.append((done, total)))
    assert read[1] == (0, 60)  # every case read again, none kept on trust
    assert row_of(after, "S3")["sex"] == "Masculine"
    assert f"revision triggers missing ({name})" in caplog.text
