"""The closure page: the checklist, the request with a reason per open item, the approval."""

from __future__ import annotations

import pytest

from lantern.cases.models import Case, ClosureRequest
from lantern.protection.legal import service as legal
from tests.web.protection_pages import World, as_user, new_case, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

CONTINUES = "The prosecutor keeps the case open; the child testified on video."


def _url(case: Case) -> str:
    return f"/cases/{case.pk}/closure/"


def test_a_caseworker_asks_with_a_reason_and_a_supervisor_approves(world: World) -> None:
    case = new_case(world)
    proceeding = legal.open_proceeding(world.users["cw"], case, kind="investigation")
    cw = as_user(world, "cw")
    detail = page_text(cw.get(f"/cases/{case.pk}/"))
    assert 'id="close"' in detail and f'href="{_url(case)}"' in detail

    html = page_text(cw.get(_url(case)))
    assert "Criminal investigation is open" in html and 'href="/cases/' in html
    assert "✓ Placements ended" in html and "✗ Legal proceedings noted" in html
    field = f"justify-legal:{proceeding.pk}"
    assert f'name="{field}"' in html

    typed = {"form": "request", "outcome": "reunited_with_family", "reason": "home, in school"}
    res = cw.post(_url(case), typed)
    assert res.status_code == 409
    refused = page_text(res)
    assert "work is still open" in refused and "home, in school" in refused  # kept
    assert not ClosureRequest.objects.exists()
    res = cw.post(_url(case), {**typed, field: CONTINUES})
    assert res.status_code == 302 and res["Location"] == _url(case)
    html = page_text(cw.get(_url(case)))
    assert "Awaiting approval" in html and CONTINUES in html
    assert 'id="approve-form"' not in html and 'id="request-form"' not in html
    assert cw.post(_url(case), {"form": "approve"}).status_code == 404
    assert cw.post(_url(case), {"form": "withdraw"}).status_code == 302  # taken back
    assert ClosureRequest.objects.get().status == "withdrawn"
    assert cw.post(_url(case), {**typed, field: CONTINUES}).status_code == 302  # asked again

    sup = as_user(world, "sup")
    work = page_text(sup.get("/work/"))
    assert "Closure awaiting approval" in work and f'href="{_url(case)}"' in work
    assert 'id="approve-form"' in page_text(sup.get(_url(case)))
    res = sup.post(_url(case), {"form": "approve", "note": ""})
    assert res.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome) == ("closed", "reunited_with_family")
    html = page_text(sup.get(_url(case)))
    assert "This case is closed." in html and "Approved: case closed" in html


def test_a_supervisor_returns_it_with_a_reason(world: World) -> None:
    case = new_case(world)
    cw, sup = as_user(world, "cw"), as_user(world, "sup")
    body = {"form": "request", "outcome": "ran_away", "reason": "left at night"}
    assert cw.post(_url(case), body).status_code == 302
    res = sup.post(_url(case), {"form": "return", "reason": ""})
    assert res.status_code == 400 and ClosureRequest.objects.get().status == "pending"
    res = sup.post(_url(case), {"form": "return", "reason": "search for her first"})
    assert res.status_code == 302
    html = page_text(cw.get(_url(case)))
    assert "Returned to the caseworker" in html and "search for her first" in html
    assert 'id="request-form"' in html  # may ask again
    assert Case.objects.get(pk=case.pk).state == "identified"


def test_the_page_is_the_case_agencys_only(world: World) -> None:
    case = new_case(world)
    for name in ("outsider_sup", "outsider", "admin"):
        assert as_user(world, name).get(_url(case)).status_code == 404, name
