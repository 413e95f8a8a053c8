"""The assignment pages: the case's owner and form, and the caseload's bulk assignment."""

from __future__ import annotations

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(tmp_path):
    factories.agency("ngo-one")
    factories.import_records([factories.record(i, "ngo-one") for i in range(3)], tmp_path)
    sup = factories.user("sup", Role.SUPERVISOR)
    cw = factories.user("cw", first_name="Asha", last_name="Caseworker")
    return {
        "sup": factories.verified_login(Client(), sup),
        "cw_client": factories.verified_login(Client(), cw),
        "cw": cw,
        "own": list(Case.objects.order_by("pk")),
    }


def test_the_case_page_shows_the_owner_and_the_supervisor_assigns(store):
    case, sup = store["own"][0], store["sup"]
    page = sup.get(f"/cases/{case.pk}/")
    assert 'id="assignment"' in page.content.decode()
    part = sup.get(f"/cases/{case.pk}/assignment/", headers={"HX-Request": "true"})
    assert (
        'id="assign-form"' in part.content.decode() and "Asha Caseworker" in part.content.decode()
    )
    r = sup.post(f"/cases/{case.pk}/assignment/", {"owner": store["cw"].pk})
    assert r.status_code == 302 and r["Location"].endswith("#assignment")
    case.refresh_from_db()
    assert case.owner == store["cw"]
    shown = sup.get(f"/cases/{case.pk}/", follow=True).content.decode()
    assert "Asha Caseworker" in shown and "Case assigned to cw." in shown


def test_a_refused_reassignment_keeps_what_was_typed(store):
    case, sup = store["own"][0], store["sup"]
    sup.post(f"/cases/{case.pk}/assignment/", {"owner": store["cw"].pk})
    r = sup.post(f"/cases/{case.pk}/assignment/", {"owner": store["cw"].pk, "reason": "typed"})
    body = r.content.decode()
    assert r.status_code == 409 and "already owns this case" in body and "typed</textarea>" in body


def test_a_caseworker_sees_the_owner_but_no_form(store):
    case, cw = store["own"][0], store["cw_client"]
    part = cw.get(f"/cases/{case.pk}/assignment/").content.decode()
    assert 'id="case-owner"' in part and 'id="assign-form"' not in part
    assert cw.post(f"/cases/{case.pk}/assignment/", {"owner": store["cw"].pk}).status_code == 404
    assert Case.objects.get(pk=case.pk).owner is None


def test_the_caseload_assigns_the_ticked_cases_all_or_none(store):
    sup, own = store["sup"], store["own"]
    page = sup.get("/caseload/").content.decode()
    assert all(c.reference in page for c in own) and 'id="bulk-assign"' in page
    r = sup.post("/caseload/", {"cases": [own[0].pk], "owner": store["cw"].pk})
    assert r.status_code == 302
    # own[0] now has an owner: reassigning it needs a reason, so nothing moves and it is named
    r = sup.post("/caseload/", {"cases": [own[1].pk, own[0].pk], "owner": store["cw"].pk})
    body = r.content.decode()
    assert r.status_code == 409 and own[0].reference in body
    assert f'value="{own[1].pk}" id="case-{own[1].pk}" checked' in body
    assert Case.objects.get(pk=own[1].pk).owner is None
    r = sup.post("/caseload/", {"cases": [own[1].pk, own[2].pk], "owner": store["cw"].pk})
    assert r.status_code == 302
    assert Case.objects.filter(owner=store["cw"]).count() == 3
    assert sup.post("/caseload/", {"owner": store["cw"].pk}).status_code == 400


def test_the_case_list_filters_by_owner_on_the_page_and_in_the_api(store):
    sup, cw = store["sup"], store["cw_client"]
    first = store["own"][0]
    sup.post(f"/cases/{first.pk}/assignment/", {"owner": store["cw"].pk})

    def refs(client: Client, query: str) -> set[str]:
        body = client.get(f"/cases/?{query}").content.decode()
        return {c.reference for c in store["own"] if c.reference in body}

    everyone = {c.reference for c in store["own"]}
    assert refs(cw, "owner=me") == {first.reference}
    assert refs(sup, "owner=me") == set()  # the supervisor owns none
    assert refs(sup, "owner=none") == everyone - {first.reference}
    assert refs(sup, f"owner={store['cw'].pk}") == {first.reference}
    assert "Asha Caseworker</option>" in sup.get("/cases/").content.decode()  # by name
    auth = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token('cw')}"}
    api = Client().get("/api/cases/?owner=me", **auth).json()
    assert [row["reference"] for row in api["results"]] == [first.reference]
    bad = Client().get("/api/cases/?owner=somebody", **auth)
    assert bad.status_code == 422 and "owner" in bad.json()["detail"]
