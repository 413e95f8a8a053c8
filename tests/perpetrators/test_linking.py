"""Linking the register across agencies: linkage proposes pairs, a reviewer of the register
confirms (the two records merge, audited) or rejects (never proposed again); nothing that
identifies anyone is stored with the queue or printed."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from lantern import cli
from lantern.audit.models import AuditEntry
from lantern.networks import PerpetratorLinkageOptions
from lantern.perpetrators import linking, service
from lantern.perpetrators.models import ActorLink, PairStatus, Perpetrator, PerpetratorPair
from tests import factories
from tests.perpetrators.conftest import World

pytestmark = pytest.mark.django_db

#: A floor low and a threshold high: every scored pair waits for a person.
ALL_TO_REVIEW = PerpetratorLinkageOptions(threshold=0.999999, review_floor=0.0)


def _identify(world: World) -> tuple[Perpetrator, Perpetrator]:
    """The shelter's "uncle" and the police's "broker" carry one name (the uncle a phone)."""
    sup = world.users["supervisor"]
    uncle = world.record_of("ngo-one", "UNCLE")
    broker = world.record_of("police-two", "BROKER-9")
    service.add_identifiers(sup, uncle, [("name", "Ramesh Thapa"), ("phone", "+977 984 1234567")])
    service.add_identifiers(sup, broker, [("name", "Ramesh Thapa")])
    officer = world.record_of("police-two", "OFFICER-2")
    service.add_identifiers(sup, officer, [("name", "Sunita Gurung")])
    return uncle, broker


def _pair(uncle: Perpetrator, broker: Perpetrator) -> PerpetratorPair:
    a, b = sorted((uncle.pk, broker.pk))
    return PerpetratorPair.objects.get(left_id=a, right_id=b)


def test_a_run_queues_the_uncertain_pairs_without_a_name(world: World) -> None:
    uncle, broker = _identify(world)
    done = linking.run(options=ALL_TO_REVIEW)
    assert done.records == Perpetrator.objects.count() == 3
    pair = _pair(uncle, broker)
    assert pair.status == PairStatus.PENDING and 0 < pair.probability < 1
    assert pair.evidence["family_name"] > 0 and pair.evidence["given_name"] > 0
    stored = json.dumps(list(PerpetratorPair.objects.values()), default=str)
    assert "Ramesh" not in stored and "Thapa" not in stored and "9841" not in stored
    entry = AuditEntry.objects.filter(action="link", resource="perpetrator").get()
    assert "Ramesh" not in str(entry.reason) and entry.fields == ["identifiers"]


def test_a_confirm_merges_the_two_records_and_a_reject_keeps_them_apart(world: World) -> None:
    uncle, broker = _identify(world)
    linking.run(options=ALL_TO_REVIEW)
    pairs = {p.id for p in linking.queue(world.users["supervisor"])}
    same = _pair(uncle, broker)
    for other in pairs - {same.pk}:  # the officer is no one else
        linking.decide(world.users["liaison"], other, "different")
    kept = linking.decide(world.users["supervisor"], same.pk, "same")
    assert kept is not None and kept.pk == min(uncle.pk, broker.pk)
    assert not Perpetrator.objects.filter(pk=max(uncle.pk, broker.pk)).exists()
    assert ActorLink.objects.filter(perpetrator=kept).count() == 2  # both agencies' references
    assert AuditEntry.objects.filter(action="merge", resource="perpetrator").exists()
    # a second run proposes nothing again: the merged are one, the rejected stay rejected
    linking.run(options=ALL_TO_REVIEW)
    assert linking.queue(world.users["supervisor"]) == []
    assert PerpetratorPair.objects.filter(status=PairStatus.REJECTED).count() == len(pairs) - 1


def test_the_page_and_the_api_for_those_who_record_on_the_register(world: World) -> None:
    uncle, broker = _identify(world)
    linking.run(options=ALL_TO_REVIEW)
    same = _pair(uncle, broker)
    client = factories.verified_login(Client(), world.users["supervisor"])
    assert 'id="review-link"' in client.get("/perpetrators/").content.decode()
    page = client.get("/perpetrators/review/")
    text = page.content.decode()
    assert page.status_code == 200 and uncle.reference in text and broker.reference in text
    assert "Family name" in text and "Ramesh" not in text
    token = factories.api_token(world.users["liaison"].username)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    queue = Client().get("/api/perpetrators/review-queue", **auth)
    assert queue.status_code == 200 and same.pk in {p["id"] for p in queue.json()}
    bad = Client().post(
        f"/api/perpetrators/review-queue/{same.pk}",
        data={"decision": "maybe"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and "same person" in bad.json()["detail"]
    answer = client.post(f"/perpetrators/review/{same.pk}/", {"decision": "different"})
    assert answer.status_code == 302
    assert PerpetratorPair.objects.get(pk=same.pk).status == PairStatus.REJECTED
    # a caseworker: no queue, no decision
    cw = factories.verified_login(Client(), world.users["caseworker"])
    assert cw.get("/perpetrators/review/").status_code == 404
    assert cw.post(f"/perpetrators/review/{same.pk}/", {"decision": "same"}).status_code == 404
    assert Perpetrator.objects.filter(pk=broker.pk).exists()


def test_the_command_links_and_prints_counts_only(world: World) -> None:
    _identify(world)
    cli._register("perpetrators")
    result = CliRunner().invoke(cli.app, ["perpetrators", "link"])
    assert result.exit_code == 0, result.output
    assert "3 records" in result.output and "Ramesh" not in result.output


def test_an_empty_register_links_to_an_empty_queue() -> None:
    done = linking.run()
    assert (done.records, done.queued) == (0, 0)
    assert not PerpetratorPair.objects.exists()
