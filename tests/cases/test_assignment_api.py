"""The assignment API: one case, several at once, and its refusals."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Role
from lantern.cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path):
    rows = [factories.record(i, "ngo-one") for i in range(3)]
    rows += [factories.record(100, "police-two")]
    factories.agency("ngo-one")
    factories.agency("police-two")
    factories.import_records(rows, tmp_path)
    factories.user("sup", Role.SUPERVISOR)
    return {
        "cw": factories.user("cw"),
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token('sup')}"},
        "own": list(Case.objects.filter(agency__code="ngo-one").order_by("pk")),
        "foreign": Case.objects.get(agency__code="police-two"),
    }


def _post(client, path, body, auth):
    return client.post(path, body, content_type="application/json", **auth)


def test_assign_one_case(client, store):
    case = store["own"][0]
    r = _post(client, f"/api/cases/{case.pk}/assignment", {"owner": store["cw"].pk}, store["auth"])
    assert r.status_code == 200, r.content
    assert r.json()["to_owner"] == "cw" and r.json()["reference"] == case.reference
    again = _post(
        client, f"/api/cases/{case.pk}/assignment", {"owner": store["cw"].pk}, store["auth"]
    )
    assert again.status_code == 409


def test_reassigning_without_reason_is_422_naming_reason(client, store):
    sup = factories.user("sup2", Role.SUPERVISOR)
    case = store["own"][0]
    _post(client, f"/api/cases/{case.pk}/assignment", {"owner": store["cw"].pk}, store["auth"])
    r = _post(client, f"/api/cases/{case.pk}/assignment", {"owner": sup.pk}, store["auth"])
    assert r.status_code == 422 and r.json()["field"] == "reason"


def test_out_of_scope_is_404_and_a_caseworker_is_refused(client, store):
    foreign = store["foreign"]
    r = _post(client, f"/api/cases/{foreign.pk}/assignment", {"owner": 1}, store["auth"])
    assert r.status_code == 404
    cw_auth = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token('cw')}"}
    case = store["own"][0]
    r = _post(client, f"/api/cases/{case.pk}/assignment", {"owner": store["cw"].pk}, cw_auth)
    assert r.status_code == 403


def test_bulk_is_all_or_nothing(client, store):
    own, foreign = store["own"], store["foreign"]
    body = {"cases": [own[0].pk, foreign.pk], "owner": store["cw"].pk}
    r = _post(client, "/api/cases/assignments", body, store["auth"])
    assert r.status_code == 404 and f"#{foreign.pk}" in r.json()["detail"]
    assert not Case.objects.filter(owner__isnull=False).exists()
    body = {"cases": [c.pk for c in own], "owner": store["cw"].pk}
    r = _post(client, "/api/cases/assignments", body, store["auth"])
    assert r.status_code == 200
    assert [a["to_owner"] for a in r.json()["assigned"]] == ["cw"] * 3
    assert (
        _post(
            client, "/api/cases/assignments", {"cases": [], "owner": 1}, store["auth"]
        ).status_code
        == 422
    )
