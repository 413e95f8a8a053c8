"""Search before create and tracing in the store: scoping, the consent rule and the audit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.linkage import services
from lantern.linkage.tracing import consenting_index, match_tracing
from lantern.recordlinkage import RecordFormatError, SearchIndex, prepare_records
from tests import factories
from tests.recordlinkage.linkage_synthetic import generate, record_ids


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.Series]:
    return generate(800, seed=21, noise=0.5)


def test_tracing_matches_only_children_who_consented(synthetic):
    records, truth = synthetic
    ids = record_ids(records).to_numpy()
    child = truth.reindex(ids).reset_index(drop=True)
    # families describe 300 children as one agency recorded them; the index holds the rest
    asked = (~child.duplicated(keep="last") & child.duplicated(keep=False)).to_numpy()
    requests = records[asked].head(300).rename(columns={"source_record_id": "request_id"})
    requests["request_id"] = ids[asked][:300]
    children = records[~asked]
    consenting = set(record_ids(children)[children["con_TracingConsent"].eq("yes")])

    found = match_tracing(requests, children)

    assert set(found.columns) == {"request_id", "unique_id", "probability", "match_weight", "rank"}
    assert set(found["unique_id"]) <= consenting
    best = found[(found["rank"] == 1) & (found["probability"] > 0.5)]
    right = (
        truth.reindex(best["unique_id"]).to_numpy() == truth.reindex(best["request_id"]).to_numpy()
    )
    findable = [
        r for r in requests["request_id"] if set(truth[truth == truth[r]].index) & consenting
    ]
    assert right.mean() > 0.9 and right.sum() >= 0.7 * len(findable)

    # a prebuilt index of everyone still offers only the consenting children
    everyone = SearchIndex(prepare_records(children, with_blocking=False))
    again = match_tracing(requests, everyone)
    assert len(again) and set(again["unique_id"]) <= consenting
    assert consenting_index(children).size == len(consenting)


def test_tracing_requests_that_cannot_be_read_are_refused_by_name(synthetic):
    children = synthetic[0].head(50)
    with pytest.raises(RecordFormatError, match="row 2: 'request_id' is blank"):
        match_tracing(
            [{"request_id": "T1", "prs_FirstName": "Sita"}, {"prs_FirstName": "x"}], children
        )
    with pytest.raises(RecordFormatError, match=r"T9.*prs_Birthdate"):
        match_tracing([{"request_id": "T9", "prs_Birthdate": "03/02/2011"}], children)
    with pytest.raises(RecordFormatError, match="unique"):
        match_tracing([{"request_id": "T1"}, {"request_id": "T1"}], children)


# --- in the store ---------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, settings):
    """Two agencies; one child recorded by both (differently spelt), consenting at police-two."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    factories.agency("police-two")
    rows = [factories.record(i, "ngo-one") for i in range(30)]
    rows += [factories.record(100 + i, "police-two") for i in range(30)]
    child = {"prs_Birthdate": "2011-02-03", "prs_Gender": "Feminine", "ext_StatedAge": ""}
    rows[0].update(
        child, prs_FirstName="Sunita", prs_SecondName="Lamichhane", con_TracingConsent="no"
    )
    rows[30].update(
        child, prs_FirstName="Sunitaa", prs_SecondName="Lamichane", con_TracingConsent="yes"
    )
    factories.import_records(rows, tmp_path)
    services.invalidate_index()
    return rows


@pytest.mark.django_db
def test_an_import_changing_records_in_place_is_seen_by_the_next_search(
    store, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    """The store's stamp sees new records only; the import's signal makes the index forget
    whatever the stamp says (held still here, as for a name corrected in place)."""
    before = services.store_index()
    monkeypatch.setattr(services, "index_stamp", lambda: before.stamp)
    assert services.store_index() is before
    store[1]["prs_FirstName"] = "Renamed"  # the same source record: updated in place
    with django_capture_on_commit_callbacks(execute=True):
        factories.import_records(store, tmp_path)
    assert services.store_index() is not before


def _search(user, **fields):
    return services.search_before_create(
        user, "Sunita", "Lamichhane", "2011-02-03", "Feminine", **fields
    )


@pytest.mark.django_db
def test_search_shows_candidates_in_scope_and_only_counts_the_others(store, tmp_path):
    worker = factories.user("worker", Role.CASEWORKER, agency_code="ngo-one")
    answer = _search(worker)
    assert [c.agency for c in answer.candidates][:1] == ["ngo-one"]
    assert all(c.agency == "ngo-one" for c in answer.candidates)
    assert answer.elsewhere == 1 and "ask your supervisor" in answer.elsewhere_message
    best = answer.candidates[0]
    assert best.probability > 0.9
    fields = {f.field: f for f in best.comparison}
    assert fields["given name"].right == "Sunita" and fields["given name"].left == "Sunita"
    assert fields["birth"].agrees is True

    entry = AuditEntry.objects.filter(action="search", resource="person").get()
    assert entry.username == "worker" and entry.fields == [
        "given_name",
        "family_name",
        "birthdate",
        "sex",
    ]
    assert "Sunita" not in entry.reason and best.person_key in entry.reason

    # the other agency's supervisor sees that record, and not this one
    other = factories.user("sup2", Role.SUPERVISOR, agency_code="police-two")
    theirs = _search(other)
    assert theirs.candidates[0].agency == "police-two" and theirs.elsewhere == 1

    # a new import changes the stamp: the next search knows the new record
    newcomer = factories.record(999, "ngo-one")
    newcomer.update(
        prs_FirstName="Sunita",
        prs_SecondName="Lamichhane",
        prs_Birthdate="2011-02-03",
        prs_Gender="Feminine",
    )
    factories.import_records([newcomer], tmp_path)
    assert len([c for c in _search(worker).candidates if c.probability > 0.9]) == 2


@pytest.mark.django_db
def test_search_refuses_roles_and_input_it_cannot_use(store):
    analyst = factories.user("analyst", Role.ANALYST, agency_code=None, team=None)
    with pytest.raises(services.SearchRefused):
        _search(analyst)
    worker = factories.user("worker", Role.CASEWORKER, agency_code="ngo-one")
    with pytest.raises(services.SearchInputError, match="given_name or family_name"):
        services.search_before_create(worker, "", "", "2011-02-03")
    with pytest.raises(services.SearchInputError, match="birthdate"):
        services.search_before_create(worker, "Sunita", "", "3 Feb 2011")
    assert not AuditEntry.objects.filter(action="search").exists()


@pytest.mark.django_db
def test_tracing_in_the_store_offers_only_consenting_children(store):
    liaison = factories.user("liaison", Role.LIAISON, agency_code="police-two")
    request = {
        "given_name": "Sunita",
        "family_name": "Lamichhane",
        "birth_year": 2011,
        "sex": "Feminine",
    }
    answer = services.trace(liaison, request)
    assert answer.candidates and answer.candidates[0].agency == "police-two"
    consenting = {r["source_record_id"] for r in store if r["con_TracingConsent"] == "yes"}
    from lantern.cases.models import Case

    refs = {c.reference: c.source_record_id for c in Case.objects.all()}
    assert {refs[c.case_reference] for c in answer.candidates} <= consenting

    worker = factories.user("worker", Role.CASEWORKER, agency_code="ngo-one")
    assert services.trace(worker, request).candidates == []  # ngo-one's record: no consent
    assert AuditEntry.objects.filter(action="trace").count() == 2
    with pytest.raises(services.SearchInputError, match="birth_year"):
        services.trace(liaison, {"given_name": "Sunita", "birth_year": "twenty"})


@pytest.mark.django_db
def test_search_api(store):
    worker = factories.user("worker", Role.CASEWORKER, agency_code="ngo-one")
    client = factories.verified_login(Client(), worker)
    body = {"given_name": "Sunita", "family_name": "Lamichhane", "birthdate": "2011-02-03"}
    answer = client.post("/api/linkage/search", body, content_type="application/json")
    assert answer.status_code == 200
    data = answer.json()
    assert data["elsewhere"] == 1 and data["candidates"][0]["agency"] == "ngo-one"
    assert "Fellegi-Sunter" in data["method"]
    blank = client.post(
        "/api/linkage/search", {"birthdate": "2011-02-03"}, content_type="application/json"
    )
    assert blank.status_code == 400 and "given_name" in blank.json()["detail"]
    analyst = factories.user("analyst", Role.ANALYST, agency_code=None, team=None)
    refused = factories.verified_login(Client(), analyst).post(
        "/api/linkage/search", body, content_type="application/json"
    )
    assert refused.status_code == 404
