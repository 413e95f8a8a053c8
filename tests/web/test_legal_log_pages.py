"""The legal track on the case page: the proceeding's log of hearings and interviews, who
accompanied the child at each, and the ETH-10 warning on repeated interviews. Synthetic people."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from lantern.cases.models import Case
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.legal.models import LegalProceeding
from tests import factories
from tests.protection import conftest as protection
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db

world = protection.world
_fast_passwords = protection._fast_passwords

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def proceeding(world: World) -> LegalProceeding:
    child = intake.Child(given_name="Mina", family_name="Thapa", birthdate=dt.date(2012, 2, 3))
    case = intake.open_case(
        world.users["cw"],
        "hotline",
        child,
        {"concerns": ["at_risk"], "severity": "intervene"},
        confirm_new=True,
    )
    return legal.open_proceeding(world.users["cw"], case, kind="prosecution")


def _as(world: World, name: str) -> Client:
    return factories.verified_login(Client(), world.users[name])


def _html(res: Any) -> str:
    return str(res.content.decode()).replace("&#x27;", "'").replace("&quot;", '"')


def _log(c: Client, lp: LegalProceeding, **fields: Any) -> Any:
    data = {f"legal_event{lp.pk}-{k}": v for k, v in fields.items()}
    return c.post(
        f"/cases/{lp.case_id}/protection/", {"form": "legal_event", "row": str(lp.pk), **data}
    )


def _page(c: Client, case: Case, lang: str = "en") -> str:
    return _html(c.get(f"/cases/{case.pk}/protection/", HTTP_ACCEPT_LANGUAGE=lang))


def test_a_supervisor_logs_a_hearing_and_sees_it_listed(world, proceeding):
    sup = _as(world, "sup")
    page = _page(sup, proceeding.case)
    assert 'id="no-accompaniment-' in page  # nobody assigned yet: CASE-11 asks for someone
    assert f'id="event-form-{proceeding.pk}"' in page
    res = _log(
        sup,
        proceeding,
        kind="hearing",
        held_on=YESTERDAY.isoformat(),
        held_at="10:15",
        place="Juvenile court 1",
        accompanied="yes",
        accompanied_by="Social worker Kamala",
        testimony_measures=["closed_hearing", "video_recorded"],
    )
    assert res.status_code == 302 and res["Location"].endswith("#legal")
    page = _page(sup, proceeding.case)
    log = re.search(rf'<ul class="rows" id="events-{proceeding.pk}">(.*?)</ul>', page, re.S)
    assert log is not None
    entry = log.group(1)
    assert YESTERDAY.isoformat() in entry and "10:15" in entry and "Hearing" in entry
    assert "Juvenile court 1" in entry and "Social worker Kamala" in entry
    assert "Closed hearing, Video-recorded testimony" in entry
    assert "unaccompanied" not in entry


def test_a_bad_date_keeps_what_was_typed_and_logs_nothing(world, proceeding):
    res = _log(
        _as(world, "cw"),
        proceeding,
        kind="interview",
        held_on="2025-02-30",
        place="Police station, women and children desk",
        accompanied="yes",
        accompanied_by="Aunt (guardian)",
    )
    html = _html(res)
    assert res.status_code == 400 and 'id="form-error"' in html
    assert "Enter a valid date" in html and 'value="2025-02-30"' in html
    assert 'value="Police station, women and children desk"' in html
    assert 'value="Aunt (guardian)"' in html
    assert not proceeding.events.exists()


def test_the_services_reason_is_shown_beside_the_field_it_names(world, proceeding):
    res = _log(
        _as(world, "cw"),
        proceeding,
        kind="hearing",
        held_on=YESTERDAY.isoformat(),
        accompanied="yes",
        accompanied_by="",
        place="Court 4",
    )
    html = _html(res)
    assert res.status_code == 400 and 'value="Court 4"' in html
    assert "name the person or role who accompanied the child" in html
    assert "accompanied_by:" not in html
    assert not proceeding.events.exists()


def test_an_unaccompanied_step_and_repeated_interviews_are_visible(world, proceeding):
    c = _as(world, "cw")
    for _ in range(legal.INTERVIEW_LIMIT):
        assert (
            _log(c, proceeding, kind="interview", held_on=YESTERDAY, accompanied="no").status_code
            == 302
        )
    page = _page(c, proceeding.case)
    assert "unaccompanied" in page and f'id="interview-warning-{proceeding.pk}"' not in page
    _log(c, proceeding, kind="interview", held_on=YESTERDAY, accompanied="yes", accompanied_by="X")
    page = _page(c, proceeding.case)
    assert f'id="interview-warning-{proceeding.pk}"' in page
    assert f"interviewed {legal.INTERVIEW_LIMIT + 1} times" in page


def test_the_accompaniment_is_assigned_through_the_update_form(world, proceeding):
    c = _as(world, "cw")
    res = c.post(
        f"/cases/{proceeding.case_id}/protection/",
        {
            "form": "legal_update",
            "row": str(proceeding.pk),
            f"legal_update{proceeding.pk}-accompaniment": "Legal aid worker Binod",
            f"legal_update{proceeding.pk}-child_detained_or_charged": "no",
        },
    )
    assert res.status_code == 302
    page = _page(c, proceeding.case)
    assert re.search(rf'id="accompaniment-{proceeding.pk}">Legal aid worker Binod<', page)
    assert 'id="no-accompaniment-' not in page


@pytest.mark.parametrize(
    ("lang", "summary", "unaccompanied"),
    [
        ("fr", "Consigner une audience", "non accompagné"),
        ("es", "Registrar una audiencia", "sin acompañante"),
    ],
)
def test_the_log_reads_in_french_and_spanish(world, proceeding, lang, summary, unaccompanied):
    c = _as(world, "cw")
    _log(c, proceeding, kind="hearing", held_on=YESTERDAY, accompanied="no")
    page = _page(c, proceeding.case, lang)
    assert summary in page and unaccompanied in page
    assert "Log a hearing or interview" not in page
