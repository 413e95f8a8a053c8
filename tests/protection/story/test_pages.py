"""The Story and History pages: labels not codes, back to the section with a confirmation
after a save, what was typed kept on a refusal, and no forms for those who may not change."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lantern.cases.models import TraffickingEvent
from lantern.protection.story.models import CaseChange
from tests import factories
from tests.protection.story.conftest import Cast

pytestmark = pytest.mark.django_db


def _page(client: Client, cast: Cast) -> str:
    r = client.get(f"/cases/{cast.case.pk}/story/")
    assert r.status_code == 200
    return r.content.decode()


def test_the_case_page_links_the_story_and_its_history(cast: Cast) -> None:
    web = factories.verified_login(Client(), cast.cw)
    page = web.get(f"/cases/{cast.case.pk}/").content.decode()
    assert 'id="story-link"' in page and "3 journey steps" in page
    assert f"/cases/{cast.case.pk}/history/" in page


def test_the_story_shows_labels_never_codes(cast: Cast) -> None:
    page = _page(factories.verified_login(Client(), cast.cw), cast)
    assert "Recruiter or intermediary" in page and "Acquaintance" in page
    assert "Irregular crossing" in page and "Bus" in page
    shown = re.sub(r"<(select|option|input)[^>]*>", "", page)  # what a reader sees
    for code in ("sexual_exploitation", "DebtBondage", "Acquainted", "illegal"):
        assert f">{code}<" not in shown and f" {code} " not in shown
    assert 'id="event_add-form"' in page and 'id="circumstances-form"' in page


def test_a_save_returns_to_its_section_and_confirms(cast: Cast) -> None:
    web = factories.verified_login(Client(), cast.cw)
    url = f"/cases/{cast.case.pk}/story/"
    r = web.post(
        url,
        {
            "form": "event_add",
            "event_add-type": "transit",
            "event_add-date": "2024-01-05",
            "event_add-country": "IND",
            "event_add-city": "Gorakhpur",
            "event_add-transport": "train",
            "event_add-crossing": "legal",
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("#journey")
    page = web.get(r["Location"]).content.decode()
    assert "Journey step added." in page and "Gorakhpur" in page
    assert re.search(
        r'id="journey">\s*<h2>Journey</h2>\s*'
        r'<p class="warning saved" role="status">Journey step added.',
        page,
    )
    step = TraffickingEvent.objects.get(city="Gorakhpur")
    r = web.post(
        url,
        {
            "form": "event_remove",
            "row": str(step.pk),
            f"event_remove{step.pk}-reason": "Entered on the wrong case",
        },
        follow=True,
    )
    assert "Journey step removed." in r.content.decode()
    assert not TraffickingEvent.objects.filter(pk=step.pk).exists()


def test_a_refused_form_keeps_what_was_typed_and_says_why(cast: Cast) -> None:
    web = factories.verified_login(Client(), cast.cw)
    step = cast.case.events.order_by("seq")[1]  # transit by bus
    r = web.post(
        f"/cases/{cast.case.pk}/story/",
        {
            "form": "event_edit",
            "row": str(step.pk),
            f"event_edit{step.pk}-type": "transit",
            f"event_edit{step.pk}-city": "Typed town",
            f"event_edit{step.pk}-transport": "truck",
            f"event_edit{step.pk}-date": step.date.isoformat(),
            f"event_edit{step.pk}-country": "IND",
            f"event_edit{step.pk}-crossing": "illegal",
        },
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert 'value="Typed town"' in body and "say why you change or remove this" in body
    assert f'id="event_edit{step.pk}-form"' in body and 'id="form-error"' in body
    assert re.search(r'<details class="group" open><summary>Change or remove</summary>', body)
    step.refresh_from_db()
    assert step.city == "Raxaul" and not CaseChange.objects.exists()

    r = web.post(
        f"/cases/{cast.case.pk}/story/",
        {"form": "episode_add", "episode_add-form": "", "episode_add-country": "NPL"},
    )
    body = r.content.decode()
    assert r.status_code == 400 and "This field is required." in body
    assert '<option value="NPL" selected>' in body


def test_an_administrator_reads_without_forms_and_outsiders_get_404(cast: Cast) -> None:
    admin = factories.verified_login(Client(), cast.admin)
    page = _page(admin, cast)
    assert "Recruiter or intermediary" in page and '<form method="post" action="/cases' not in page
    r = admin.post(
        f"/cases/{cast.case.pk}/story/", {"form": "event_add", "event_add-type": "transit"}
    )
    assert r.status_code == 403 and cast.case.events.count() == 3
    for outsider in (cast.other_team, cast.other_agency, cast.auditor, cast.analyst):
        web = factories.verified_login(Client(), outsider)
        assert web.get(f"/cases/{cast.case.pk}/story/").status_code == 404
        assert web.get(f"/cases/{cast.case.pk}/history/").status_code == 404


def test_the_history_page_shows_who_why_before_and_after(cast: Cast) -> None:
    web = factories.verified_login(Client(), cast.cw)
    step = cast.case.events.order_by("seq")[1]
    web.post(
        f"/cases/{cast.case.pk}/story/",
        {
            "form": "event_edit",
            "row": str(step.pk),
            f"event_edit{step.pk}-type": "transit",
            f"event_edit{step.pk}-city": "Raxaul",
            f"event_edit{step.pk}-transport": "truck",
            f"event_edit{step.pk}-date": step.date.isoformat(),
            f"event_edit{step.pk}-country": "IND",
            f"event_edit{step.pk}-crossing": "illegal",
            f"event_edit{step.pk}-reason": "She remembered a lorry",
        },
    )
    page = web.get(f"/cases/{cast.case.pk}/history/").content.decode()
    assert "Journey step: changed" in page and "She remembered a lorry" in page
    assert "Means of transport" in page and "Bus" in page and "Truck or lorry" in page
    admin = factories.verified_login(Client(), cast.admin).get(f"/cases/{cast.case.pk}/history/")
    text = admin.content.decode()
    assert "She remembered a lorry" not in text and "withheld" in text and "Truck or lorry" in text
