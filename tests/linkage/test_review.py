"""The review queue: a person confirms or splits an uncertain pair; later runs obey it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.models import Case, Person
from lantern.linkage import services
from lantern.linkage.models import MatchPair, PersonLink, ReviewDecision
from lantern.linkage.store import link_store
from lantern.recordlinkage.search_parameters import COMPARISONS
from tests import factories
from tests.recordlinkage.linkage_synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


@pytest.fixture
def linked(tmp_path: Path, coordinator):
    """A store of about 300 synthetic records, linked once."""
    records, _ = generate(180, seed=5, noise=0.5)
    factories.import_records(records.to_dict("records"), tmp_path, coordinator)
    return link_store(coordinator)


def _cluster(person_id: int) -> str:
    return PersonLink.objects.get(person_id=person_id).cluster_key


def test_later_runs_obey_reviewers_decisions(linked, coordinator):
    queue = list(services.review_queue(coordinator))
    assert len(queue) >= 2 and all(p.probability < linked.threshold for p in queue)
    confirm, split_later = queue[0], queue[1]
    services.decide(coordinator, confirm.pk, True, "same birth mark noted by both agencies")
    services.decide(coordinator, split_later.pk, False, "siblings, not one child")
    # a pair the model linked, that a person knows are two children
    strong = MatchPair.objects.filter(run=linked, linked=True).first()
    assert strong is not None and _cluster(strong.person_a_id) == _cluster(strong.person_b_id)
    ReviewDecision.objects.create(
        person_a=strong.person_a,
        person_b=strong.person_b,
        same=False,
        decided_by=coordinator,
        reason="twins",
    )

    second = link_store(coordinator)

    assert second.decisions_applied == 3
    assert _cluster(confirm.person_a_id) == _cluster(confirm.person_b_id)
    assert _cluster(split_later.person_a_id) != _cluster(split_later.person_b_id)
    assert _cluster(strong.person_a_id) != _cluster(strong.person_b_id)
    remaining = {(p.person_a_id, p.person_b_id) for p in services.review_queue(coordinator)}
    assert (confirm.person_a_id, confirm.person_b_id) not in remaining
    assert (split_later.person_a_id, split_later.person_b_id) not in remaining
    decisions = AuditEntry.objects.filter(action="decide", resource="linkage_pair")
    # the trail names the decision; the reviewer's reason stays with it, encrypted, not copied
    last = decisions.order_by("seq").last()
    assert decisions.count() == 2 and "siblings" not in last.reason
    decision = ReviewDecision.objects.get(pk=int(last.reason.rsplit(" ", 1)[-1]))
    assert decision.reason == "siblings, not one child"


def test_a_decision_needs_a_reason_and_a_pair_in_the_queue(linked, coordinator):
    pair = services.review_queue(coordinator).first()
    with pytest.raises(services.SearchInputError, match="reason"):
        services.decide(coordinator, pair.pk, True, "  ")
    linked_pair = MatchPair.objects.filter(run=linked, linked=True).first()
    with pytest.raises(Exception, match="No such pair"):
        services.decide(coordinator, linked_pair.pk, False, "not in the queue")
    assert not ReviewDecision.objects.exists()


def test_review_pages_show_names_only_in_scope_and_keep_the_decision(linked, coordinator):
    pair = services.review_queue(coordinator).first()
    agency_a = Case.objects.filter(person_id=pair.person_a_id).first().agency.code
    supervisor = factories.user("sup", Role.SUPERVISOR, agency_code=agency_a)
    worker = factories.user("worker", Role.CASEWORKER, agency_code=agency_a)
    person_a = Person.objects.get(pk=pair.person_a_id)
    url = reverse("web:linkage_pair", args=[pair.pk])

    national = factories.verified_login(Client(), coordinator)
    assert f'href="{url}"' in national.get(reverse("web:linkage_review")).content.decode()
    page = national.get(url).content.decode()
    assert "Weight of evidence" in page and person_a.given_name not in page
    assert not AuditEntry.objects.filter(resource="person", reason__contains=f"pair {pair.pk}")

    reviewer = factories.verified_login(Client(), supervisor)
    page = reviewer.get(url).content.decode()
    assert person_a.given_name in page  # the supervisor's own agency's child
    reads = AuditEntry.objects.filter(resource="person", reason=f"linkage review of pair {pair.pk}")
    assert {r.username for r in reads} == {"sup"}
    assert str(person_a.key) in {r.record_id for r in reads}  # in the child's access log
    assert all("address" in r.fields for r in reads)  # the home locality shown is named too

    assert reviewer.post(url, {"decision": "same", "reason": ""}).status_code == 400
    response = reviewer.post(url, {"decision": "different", "reason": "different mothers"})
    assert response.status_code == 302
    kept = ReviewDecision.objects.get()
    assert (kept.same, kept.decided_by, kept.reason) == (False, supervisor, "different mothers")

    caseworker = factories.verified_login(Client(), worker)
    assert caseworker.get(reverse("web:linkage_review")).status_code == 404
    assert caseworker.get(url).status_code == 404


def test_review_api_mirrors_the_pages(linked, coordinator):
    client = factories.verified_login(Client(), coordinator)
    listed = client.get("/api/linkage/review").json()["results"]
    assert listed and {"id", "probability", "evidence"} <= set(listed[0])
    pair_id = listed[0]["id"]
    detail = client.get(f"/api/linkage/review/{pair_id}").json()
    assert [side["values"] for side in detail["sides"]] == [None, None]  # no identifying tier
    assert {row["field"] for row in detail["comparison"]} >= {"given name", "birth"}

    bad = client.post(
        f"/api/linkage/review/{pair_id}",
        {"decision": "maybe", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    done = client.post(
        f"/api/linkage/review/{pair_id}",
        {"decision": "same", "reason": "same school record"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["same"] is True
    assert client.get(f"/api/linkage/review/{pair_id}").status_code == 404  # decided: gone
    worker = factories.user("worker", Role.CASEWORKER, agency_code="police-central")
    other = factories.verified_login(Client(), worker)
    assert other.get("/api/linkage/review").status_code == 403
    assert other.get(f"/api/linkage/review/{listed[1]['id']}").status_code == 404


def test_review_shows_each_comparison_that_weighed_in_in_the_readers_language() -> None:
    # the seven identity comparisons always; the journey and circumstances only where both
    # records knew them (a weight of 0 is "unknown"), so the reviewer sees why a pair scored
    pair = MatchPair(
        probability=0.8,
        evidence={"given_name": 7.4, "tf_adj_given_name": -0.5, "recruited": 6.8, "forms": 0.0},
    )
    left = {"given name": "Sita", "recruited": "2024-03-02", "forms of exploitation": "a"}
    right = {"given name": "Seeta", "recruited": "2024-03-04", "forms of exploitation": "b"}
    sides = [{"values": left}, {"values": right}]
    rows = services._pair_comparison(pair, sides)
    fields = [row["field"] for row in rows]
    # the identity fields are those search before create compares, in its order
    assert fields[:7] == [comparison.label for comparison in COMPARISONS]
    assert fields[7:] == ["recruited"]  # forms weighed 0: not shown
    recruited = rows[7]
    assert (recruited["left"], recruited["right"], recruited["agrees"]) == (
        "2024-03-02",
        "2024-03-04",
        True,
    )
    assert rows[0]["weight"] == pytest.approx(6.9) and rows[1]["agrees"] is None
    with translation.override("fr"):
        french = services._pair_comparison(pair, sides)
    assert [row["label"] for row in french][:2] == ["prénom", "nom de famille"]
    assert french[7]["label"] == "recruté"
