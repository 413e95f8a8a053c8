"""Linkage on the store: policy, audit, person keys without names, capture histories."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lantern import cli
from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Person
from lantern.estimation import CaptureTable
from lantern.linkage.models import LinkRun, MatchPair, PersonLink
from lantern.linkage.store import (
    FIELDS_READ,
    LinkageRefused,
    export_records,
    link_store,
    store_capture_histories,
)
from lantern.recordlinkage.metrics import cluster_accuracy
from lantern.simulation import SimulationConfig, simulate
from tests import factories
from tests.recordlinkage.linkage_synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


@pytest.fixture
def synthetic(tmp_path: Path, coordinator) -> pd.Series:
    """About 300 badly written records of 180 synthetic children in the store; the truth."""
    records, truth = generate(180, seed=5, noise=0.5)
    factories.import_records(records.to_dict("records"), tmp_path, coordinator)
    return truth


def _store_clusters() -> pd.Series:
    rows = Case.objects.values_list("agency__code", "source_record_id", "person__link__cluster_key")
    return pd.Series({f"{agency}|{record}": key for agency, record, key in rows})


def test_linking_the_store_finds_the_children_and_keeps_no_names(synthetic, coordinator):
    run = link_store(coordinator)

    assert run.finished_at is not None and run.records == len(synthetic)
    assert PersonLink.objects.count() == Person.objects.count()
    accuracy = cluster_accuracy(_store_clusters(), synthetic)
    assert accuracy.f1 > 0.6 and accuracy.precision > 0.8
    assert run.clusters == PersonLink.objects.values("cluster_key").distinct().count()
    assert run.clusters < run.records  # records of one child were linked
    # what was written back holds keys and weights only, never a name or a date of birth
    names = {p.given_name for p in Person.objects.all()} | {
        p.family_name for p in Person.objects.all()
    }
    names.discard("")
    evidence = list(MatchPair.objects.values_list("evidence", flat=True))
    keys = list(PersonLink.objects.values_list("cluster_key", flat=True))
    written = json.dumps([evidence, keys], ensure_ascii=False)
    assert MatchPair.objects.exists()
    assert not [name for name in names if f'"{name}"' in written]
    assert set(MatchPair.objects.first().evidence) >= {"given_name", "birth"}
    assert (
        PersonLink.objects.filter(
            cluster_key__in=[str(k) for k in Person.objects.values_list("key", flat=True)]
        ).count()
        == Person.objects.count()
    )


def test_a_run_reads_names_once_audited_and_replaces_the_last_run(synthetic, coordinator):
    first = link_store(coordinator)
    second = link_store(coordinator)

    reads = AuditEntry.objects.filter(action="read", resource="person", source="linkage")
    assert reads.count() == 2  # one entry per run, not one per person
    entry = reads.order_by("-seq").first()
    assert entry.username == "coord" and list(entry.fields) == list(FIELDS_READ)
    assert entry.record_id == f"{Person.objects.count()} persons"
    assert f"linkage run {second.pk}" in entry.reason
    assert set(PersonLink.objects.values_list("run_id", flat=True)) == {second.pk}
    assert not MatchPair.objects.filter(run=first).exists()


def test_only_a_role_allowed_to_run_linkage_reads_the_names(synthetic, coordinator):
    worker = factories.user("worker", Role.CASEWORKER, agency_code="police-central")
    before = AuditEntry.objects.count()
    with pytest.raises(LinkageRefused):
        export_records(worker)
    with pytest.raises(LinkageRefused):
        link_store(worker)
    assert AuditEntry.objects.count() == before and not LinkRun.objects.exists()

    records = export_records(coordinator)
    assert len(records) == len(synthetic) and "person_id" not in records.columns
    assert {"agency", "source_record_id", "prs_FirstName", "con_TracingConsent"} <= set(records)
    assert AuditEntry.objects.filter(reason="linkage: records exported").count() == 1


def test_capture_histories_of_an_ideally_linked_store_are_the_simulations(tmp_path, coordinator):
    world = simulate(SimulationConfig(seed=4, children=400, agencies=4, capture="independent"))
    records = world.records.to_pandas()
    factories.import_records(records.to_dict("records"), tmp_path, coordinator)
    truth = world.truth.to_pandas()
    child = dict(
        zip(truth["agency"] + "|" + truth["source_record_id"], truth["true_person_id"], strict=True)
    )
    run = LinkRun.objects.create(threshold=0.9, review_floor=0.3)
    PersonLink.objects.bulk_create(
        PersonLink(person_id=person, cluster_key=child[f"{agency}|{record}"], run=run)
        for person, agency, record in Case.objects.values_list(
            "person_id", "agency__code", "source_record_id"
        )
    )

    table = store_capture_histories(agencies=world.agencies)
    expected = CaptureTable.from_histories(world.agencies, world.histories)
    assert table.lists == expected.lists
    assert table.counts.tolist() == expected.counts.tolist()

    # strata partition the children: each child is counted in exactly one
    by_sex = [
        store_capture_histories(agencies=world.agencies, stratum={"gender": gender}).observed
        for gender in set(Case.objects.values_list("gender", flat=True))
    ]
    assert sum(by_sex) == expected.observed
    # a period keeps only the cases registered in it
    early = store_capture_histories(agencies=world.agencies, end=dt.date(2024, 12, 31))
    assert 0 < early.observed < expected.observed
    with pytest.raises(ValueError, match="stratum field"):
        store_capture_histories(stratum={"given_name": "x"})


def test_lantern_link_links_the_store_as_a_named_user(synthetic, coordinator):
    factories.user("worker", Role.CASEWORKER, agency_code="police-central")
    cli._register("link")
    runner = CliRunner()

    result = runner.invoke(cli.app, ["link", "--user", "coord"])
    assert result.exit_code == 0, result.output
    run = LinkRun.objects.get()
    assert (
        f"linkage run {run.pk}: {run.records} records -> {run.clusters} children" in result.output
    )

    refused = runner.invoke(cli.app, ["link", "--user", "worker"])
    assert refused.exit_code == 2 and "may not run linkage" in refused.output
    unknown = runner.invoke(cli.app, ["link", "--user", "nobody"])
    assert unknown.exit_code == 2 and "no active user 'nobody'" in unknown.output
    neither = runner.invoke(cli.app, ["link"])
    assert neither.exit_code == 2 and "--user NAME" in neither.output
    assert LinkRun.objects.count() == 1
