"""The legal track's log (CASE-11, ETH-10): who accompanied the child at each hearing and
interview, through the service and the API. Synthetic people only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.errors import Invalid, NotAllowed, NotFound
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.legal.models import LegalProceeding, ProceedingEvent
from tests.protection import conftest as protection
from tests.protection.conftest import World

pytestmark = pytest.mark.django_db

world = protection.world  # two agencies, every role, a directory (synthetic)
_fast_passwords = protection._fast_passwords  # tokens sign these users in, not passwords

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
HELPER = "Support worker Asha Gurung"


@pytest.fixture
def case(world: World) -> Case:
    child = intake.Child(given_name="Sita", family_name="Rai", birthdate=dt.date(2011, 5, 6))
    return intake.open_case(
        world.users["cw"],
        "hotline",
        child,
        {"concerns": ["suspected_trafficking"], "severity": "intervene"},
        confirm_new=True,
    )


@pytest.fixture
def proceeding(world: World, case: Case) -> LegalProceeding:
    return legal.open_proceeding(
        world.users["cw"], case, kind="prosecution", accompaniment="Legal aid worker Binod"
    )


def _hearing(world: World, lp: LegalProceeding, who: str = "sup", **extra: Any) -> Any:
    data: dict[str, Any] = {
        "kind": "hearing",
        "held_on": YESTERDAY,
        "accompanied": True,
        "accompanied_by": HELPER,
        "place": "District court 2",
        "testimony_measures": ["closed_hearing", "support_person_present"],
        "outcome": "Testimony taken behind a screen; next hearing to be set.",
        **extra,
    }
    return legal.record_event(world.users[who], lp, **data)


# --- service -----------------------------------------------------------------------------------


def test_a_hearing_is_logged_with_who_accompanied_the_child_and_counted(world, proceeding):
    event = _hearing(world, proceeding)
    proceeding.refresh_from_db()
    assert (proceeding.hearings, proceeding.interviews) == (1, 0)
    stored = ProceedingEvent.objects.get(pk=event.pk)
    assert stored.proceeding_id == proceeding.pk and stored.held_on == YESTERDAY
    assert stored.accompanied is True and stored.accompanied_by == HELPER
    assert stored.testimony_measures == ["closed_hearing", "support_person_present"]
    assert stored.recorded_by == world.users["sup"]


def test_each_logged_step_is_audited_without_names(world, proceeding):
    event = _hearing(world, proceeding)
    entry = AuditEntry.objects.get(resource="proceeding_event", record_id=str(event.pk))
    assert entry.action == "create" and entry.username == "sup"
    assert "hearing" in entry.reason and proceeding.case.reference in entry.reason
    assert "Asha" not in entry.reason and "Sita" not in entry.reason


def test_who_accompanied_the_child_and_the_outcome_are_encrypted_at_rest(world, proceeding):
    event = _hearing(world, proceeding)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT accompanied_by, outcome FROM cases_proceedingevent WHERE id = %s", [event.pk]
        )
        who, outcome = cur.fetchone()
        cur.execute(
            "SELECT accompaniment FROM cases_legalproceeding WHERE id = %s", [proceeding.pk]
        )
        assigned = cur.fetchone()[0]
    assert "Asha" not in who and "screen" not in outcome and "Binod" not in assigned


def test_an_unaccompanied_interview_shows_as_such(world, proceeding):
    legal.record_event(
        world.users["cw"], proceeding, kind="interview", held_on=YESTERDAY, accompanied=False
    )
    view = legal.proceeding_view(world.users["cw"], proceeding)
    assert view["interviews"] == 1 and view["unaccompanied_events"] == 1
    assert view["events"][0]["accompanied"] is False


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"kind": "trial"}, "kind"),
        ({"held_on": TODAY + dt.timedelta(days=3)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"accompanied_by": ""}, "accompanied_by"),
        ({"accompanied": False}, "accompanied_by"),  # unaccompanied, yet a name was given
        ({"testimony_measures": ["blindfold"]}, "testimony_measures"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(world, proceeding, extra, field):
    with pytest.raises(Invalid) as err:
        _hearing(world, proceeding, **extra)
    assert err.value.field == field and field in err.value.reason
    proceeding.refresh_from_db()
    assert proceeding.hearings == 0 and not proceeding.events.exists()
    assert not AuditEntry.objects.filter(resource="proceeding_event").exists()


def test_outside_the_case_scope_the_proceeding_does_not_exist(world, proceeding):
    with pytest.raises(NotFound):
        _hearing(world, proceeding, who="outsider")
    assert not proceeding.events.exists()


def test_a_role_that_only_views_the_case_may_not_log(world, proceeding):
    with pytest.raises(NotAllowed):
        _hearing(world, proceeding, who="admin")
    assert not proceeding.events.exists()


def test_interviews_beyond_the_limit_raise_the_re_victimisation_warning(world, proceeding):
    def interview() -> None:
        legal.record_event(
            world.users["cw"],
            proceeding,
            kind="interview",
            held_on=YESTERDAY,
            accompanied=True,
            accompanied_by=HELPER,
        )

    for _ in range(legal.INTERVIEW_LIMIT):
        interview()
    _hearing(world, proceeding)  # hearings are not interviews
    assert not legal.proceeding_view(world.users["cw"], proceeding)["interviews_over_limit"]
    interview()
    view = legal.proceeding_view(world.users["cw"], proceeding)
    assert view["interviews"] == legal.INTERVIEW_LIMIT + 1 and view["interviews_over_limit"]


def test_the_old_counting_call_still_counts_and_leaves_a_row_in_the_log(world, proceeding):
    legal.update_proceeding(world.users["cw"], proceeding, add_interview=True, status="hearing")
    proceeding.refresh_from_db()
    assert proceeding.interviews == 1 and proceeding.status == "hearing"
    event = proceeding.events.get()
    assert event.kind == "interview" and event.accompanied is None and event.held_on == TODAY
    assert AuditEntry.objects.filter(resource="proceeding_event", record_id=str(event.pk)).exists()


def test_the_accompaniment_assignment_is_changed_and_audited(world, proceeding):
    legal.update_proceeding(world.users["cw"], proceeding, accompaniment="Guardian ad litem")
    proceeding.refresh_from_db()
    assert proceeding.accompaniment == "Guardian ad litem"
    entry = AuditEntry.objects.filter(resource="legal_proceeding", action="update").get()
    assert entry.fields == ["accompaniment"] and "Guardian" not in entry.reason


def test_names_and_outcomes_follow_the_readers_tiers(world, proceeding):
    _hearing(world, proceeding)
    caseworker = legal.proceeding_view(world.users["cw"], proceeding)
    liaison = legal.proceeding_view(world.users["liaison"], proceeding)  # identifying only
    admin = legal.proceeding_view(world.users["admin"], proceeding)  # no identities
    assert caseworker["events"][0]["outcome"] and caseworker["accompaniment"]
    assert liaison["events"][0]["accompanied_by"] == HELPER
    assert liaison["events"][0]["outcome"] is None
    assert admin["accompaniment"] is None and admin["events"][0]["accompanied_by"] is None
    assert admin["events"][0]["accompanied"] is True  # the fact stays countable


# --- API ---------------------------------------------------------------------------------------


def _post(client: Client, world: World, pk: int, body: dict[str, Any], who: str = "cw") -> Any:
    token: dict[str, Any] = world.h(who)
    url = f"/api/legal-proceedings/{pk}/events"
    return client.post(url, json.dumps(body), content_type="application/json", **token)


BODY = {
    "kind": "hearing",
    "held_on": YESTERDAY.isoformat(),
    "held_at": "09:30",
    "place": "District court 2",
    "accompanied": True,
    "accompanied_by": HELPER,
    "testimony_measures": ["video_recorded"],
}


def test_api_logs_a_hearing_and_lists_it_with_the_proceeding(client, world, proceeding):
    res = _post(client, world, proceeding.pk, BODY)
    assert res.status_code == 201, res.content
    out = res.json()
    assert out["kind"] == "hearing" and out["held_at"] == "09:30"
    assert out["accompanied_by"] == HELPER and out["proceeding"]["hearings"] == 1
    case_id = proceeding.case_id
    summary = client.get(f"/api/cases/{case_id}/protection", **world.h("cw")).json()
    (lp,) = summary["legal"]
    assert [e["id"] for e in lp["events"]] == [out["id"]]
    assert lp["accompaniment"] == "Legal aid worker Binod" and not lp["interviews_over_limit"]


def test_api_flags_repeated_interviews(client, world, proceeding):
    body = {**BODY, "kind": "interview", "held_at": None}
    for _ in range(legal.INTERVIEW_LIMIT + 1):
        res = _post(client, world, proceeding.pk, body)
    assert res.status_code == 201
    assert res.json()["proceeding"]["interviews_over_limit"] is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "trial"}, "kind"),
        ({"held_on": "2024-02-30"}, "held_on"),
        ({"held_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "held_on"),
        ({"accompanied": None}, "accompanied"),
        ({"accompanied_by": ""}, "accompanied_by"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_api_bad_input_is_4xx_naming_the_field(client, world, proceeding, change, field):
    body = {k: v for k, v in {**BODY, **change}.items() if v is not None}
    res = _post(client, world, proceeding.pk, body)
    assert res.status_code in (400, 422), res.content
    assert field in res.content.decode()
    assert not proceeding.events.exists()


def test_api_outside_scope_or_unknown_is_404(client, world, proceeding):
    assert _post(client, world, proceeding.pk, BODY, who="outsider").status_code == 404
    assert _post(client, world, proceeding.pk + 999, BODY).status_code == 404
    assert _post(client, world, proceeding.pk, BODY, who="admin").status_code == 403
    assert not proceeding.events.exists()


def test_api_open_and_update_set_the_accompaniment(client, world, case):
    h = world.h("cw")
    res = client.post(
        f"/api/cases/{case.pk}/legal-proceedings",
        json.dumps({"kind": "investigation", "accompaniment": "Social worker Kamala"}),
        content_type="application/json",
        **h,
    )
    assert res.status_code == 201 and res.json()["accompaniment"] == "Social worker Kamala"
    res = client.patch(
        f"/api/legal-proceedings/{res.json()['id']}",
        json.dumps({"accompaniment": "Guardian ad litem", "add_hearing": True}),
        content_type="application/json",
        **h,
    )
    out = res.json()
    assert res.status_code == 200 and out["accompaniment"] == "Guardian ad litem"
    assert out["hearings"] == 1 and out["events"][0]["accompanied"] is None
