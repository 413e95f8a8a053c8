"""A formal determination: the only way to "Actual victim" (issue #15, item 8)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.determination import record_determination
from lantern.cases.models import Case, TraffickingStatus
from lantern.cases.screening_services import screen_case
from lantern.errors import Invalid, NotFound
from tests import factories

pytestmark = pytest.mark.django_db

ESTABLISHED = {
    "age": {"years": 14, "basis": "stated"},
    "acts": ["transfer"],
    "indicators": {"D4.excessive_hours": "yes", "D4.no_education": "yes"},
}
LAST_MONTH = dt.date.today() - dt.timedelta(days=30)


@pytest.fixture
def cases(tmp_path):
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    rows = [factories.record(1, "ngo-one"), factories.record(50, "police-two")]
    factories.import_records(rows, tmp_path)
    return {
        "own": Case.objects.get(agency__code="ngo-one"),
        "other": Case.objects.get(agency__code="police-two"),
    }


@pytest.fixture
def supervisor():
    return factories.user("sup", Role.SUPERVISOR)


# --- the service --------------------------------------------------------------------------


def test_a_supervisor_records_a_court_decision_and_it_is_audited(cases, supervisor):
    case = cases["own"]
    before = AuditEntry.objects.count()
    record_determination(supervisor, case, "CourtOrProsecution", LAST_MONTH, source="test")
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.ACTUAL
    assert case.trafficking_status_decided_by == "CourtOrProsecution"
    assert case.trafficking_determined_on == LAST_MONTH
    assert case.trafficking_determination_source == "recorded"
    [entry] = AuditEntry.objects.order_by("seq")[before:]
    assert (entry.action, entry.resource, entry.record_id) == ("update", "case", case.reference)
    assert entry.username == "sup" and "trafficking_determined_on" in entry.fields
    # before and after, in codes (never a name)
    assert entry.reason == (
        "formal determination: PossibleVictimOfTrafficking (-, -) -> "
        f"ActualVictimOfTrafficking (CourtOrProsecution, {LAST_MONTH.isoformat()})"
    )
    assert case.person.given_name not in entry.reason


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.AGENCY_ADMIN, Role.LIAISON, Role.ANALYST])
def test_other_roles_may_not_record_a_determination(cases, role):
    user = factories.user("someone", role)
    with pytest.raises(NotFound):
        record_determination(user, cases["own"], "Police", LAST_MONTH)
    cases["own"].refresh_from_db()
    assert cases["own"].trafficking_status == TraffickingStatus.POSSIBLE


def test_another_agencys_case_is_out_of_reach(cases, supervisor):
    with pytest.raises(NotFound):
        record_determination(supervisor, cases["other"], "Police", LAST_MONTH)


@pytest.mark.parametrize(
    ("body", "on", "field"),
    [
        ("NGO", LAST_MONTH, "body"),  # an NGO's finding is an identification, not a decision
        ("Other", LAST_MONTH, "body"),
        ("", LAST_MONTH, "body"),
        ("Police", None, "decided_on"),
        ("Police", "tomorrow", "decided_on"),
    ],
)
def test_a_determination_needs_a_deciding_body_and_a_past_date(cases, supervisor, body, on, field):
    if on == "tomorrow":
        on = timezone.localdate() + dt.timedelta(days=1)
    before = AuditEntry.objects.count()
    with pytest.raises(Invalid) as err:
        record_determination(supervisor, cases["own"], body, on)
    assert err.value.field == field
    cases["own"].refresh_from_db()
    assert cases["own"].trafficking_status == TraffickingStatus.POSSIBLE
    assert AuditEntry.objects.count() == before


def test_today_is_a_valid_date(cases, supervisor):
    record_determination(supervisor, cases["own"], "Police", timezone.localdate())
    cases["own"].refresh_from_db()
    assert cases["own"].trafficking_determined_on == timezone.localdate()


def test_a_later_screening_keeps_the_determination(client, cases, supervisor):
    case = cases["own"]
    record_determination(supervisor, case, "Police", LAST_MONTH)
    worker = factories.user("cw", Role.CASEWORKER)
    for answers in (ESTABLISHED, {"age": {"years": 14, "basis": "stated"}, "acts": []}):
        screen_case(worker, case, answers)
        case.refresh_from_db()
        assert case.trafficking_status == TraffickingStatus.ACTUAL
        assert case.trafficking_status_decided_by == "Police"
        assert case.trafficking_determined_on == LAST_MONTH
    page = factories.verified_login(client, worker).get(f"/cases/{case.pk}/screening/")
    note = page.content.decode()
    assert "The case keeps its formal determination (actual victim, decided by Police)" in note


def test_an_imported_actual_status_is_kept_with_the_import_as_source(tmp_path):
    factories.agency("police-two", "police")
    row = {
        **factories.record(7, "police-two"),
        "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        "vic_TraffickingStatusDecisionMakingOrg": "Police",
    }
    factories.import_records([row], tmp_path)
    case = Case.objects.get()
    assert case.trafficking_status == TraffickingStatus.ACTUAL
    assert case.trafficking_status_decided_by == "Police"
    assert case.trafficking_determination_source == "import"
    assert case.trafficking_determined_on is None  # HTCDS carries no date for it


# --- the API --------------------------------------------------------------------------------


def _token(username: str, role: str) -> dict:
    factories.user(username, role)
    return {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(username)}"}


def _post(client, case, body, h):
    return client.post(
        f"/api/cases/{case.pk}/determination",
        data=json.dumps(body),
        content_type="application/json",
        **h,
    )


def test_api_records_a_determination(client, cases):
    h = _token("sup", Role.SUPERVISOR)
    res = _post(client, cases["own"], {"body": "Police", "decided_on": str(LAST_MONTH)}, h)
    assert res.status_code == 200, res.content
    assert res.json() == {
        "trafficking_status": "ActualVictimOfTrafficking",
        "trafficking_status_decided_by": "Police",
        "trafficking_determined_on": LAST_MONTH.isoformat(),
        "trafficking_determination_source": "recorded",
    }
    detail = client.get(f"/api/cases/{cases['own'].pk}", **h).json()
    assert detail["trafficking_status"] == "ActualVictimOfTrafficking"
    assert detail["trafficking_determined_on"] == LAST_MONTH.isoformat()
    assert detail["trafficking_determination_source"] == "recorded"


def test_api_refuses_bad_input_and_other_roles(client, cases):
    h = _token("sup", Role.SUPERVISOR)
    future = str(timezone.localdate() + dt.timedelta(days=3))
    res = _post(client, cases["own"], {"body": "Police", "decided_on": future}, h)
    assert res.status_code == 422 and res.json()["field"] == "decided_on"
    res = _post(client, cases["own"], {"body": "NGO", "decided_on": str(LAST_MONTH)}, h)
    assert res.status_code == 422 and res.json()["field"] == "body"
    res = _post(client, cases["own"], {"body": "Police"}, h)
    assert res.status_code == 422
    res = _post(client, cases["other"], {"body": "Police", "decided_on": str(LAST_MONTH)}, h)
    assert res.status_code == 404
    cw = _token("cw", Role.CASEWORKER)
    res = _post(client, cases["own"], {"body": "Police", "decided_on": str(LAST_MONTH)}, cw)
    assert res.status_code == 404
    cases["own"].refresh_from_db()
    assert cases["own"].trafficking_status == TraffickingStatus.POSSIBLE


# --- the pages ------------------------------------------------------------------------------


def test_case_page_shows_the_form_to_supervisors_only(client, cases, supervisor):
    url = f"/cases/{cases['own'].pk}/"
    page = factories.verified_login(client, supervisor).get(url).content.decode()
    assert 'id="determination-form"' in page and 'id="no-determination"' in page
    worker = factories.user("cw", Role.CASEWORKER)
    page = factories.verified_login(client, worker).get(url).content.decode()
    assert 'id="determination"' in page and 'id="determination-form"' not in page


def test_page_records_and_the_case_page_shows_body_and_date(client, cases, supervisor):
    c = factories.verified_login(client, supervisor)
    case = cases["own"]
    res = c.post(
        f"/cases/{case.pk}/determination/",
        {"body": "CourtOrProsecution", "decided_on": LAST_MONTH.isoformat()},
    )
    assert res.status_code == 302 and res["Location"].endswith(f"/cases/{case.pk}/#determination")
    page = c.get(res["Location"]).content.decode()
    assert "Formal determination recorded." in page
    assert 'id="determination-body">Court or prosecution<' in page
    assert f'id="determination-date">{LAST_MONTH.isoformat()}<' in page
    fr = c.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tribunal ou parquet" in fr and "Décision formelle" in fr


def test_page_keeps_what_was_typed_when_refused(client, cases, supervisor):
    c = factories.verified_login(client, supervisor)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    res = c.post(
        f"/cases/{cases['own'].pk}/determination/", {"body": "Police", "decided_on": future}
    )
    assert res.status_code == 400
    html = res.content.decode()
    assert "cannot be in the future" in html
    assert f'value="{future}"' in html and '<option value="Police" selected>' in html
    cases["own"].refresh_from_db()
    assert cases["own"].trafficking_status == TraffickingStatus.POSSIBLE


def test_page_is_missing_for_a_caseworker(client, cases):
    worker = factories.user("cw", Role.CASEWORKER)
    c = factories.verified_login(client, worker)
    assert c.get(f"/cases/{cases['own'].pk}/determination/").status_code == 404


def test_screening_banner_and_status_label_agree(client, cases):
    """The provisional banner says "not a legal determination": the status beside it must not
    say "Actual victim", even when trafficking is established."""
    worker = factories.user("cw", Role.CASEWORKER)
    c = factories.verified_login(client, worker)
    case = cases["own"]
    screen_case(worker, case, ESTABLISHED)
    page = c.get(f"/cases/{case.pk}/screening/").content.decode()
    assert 'id="provisional"' in page and "not a legal determination" in page
    assert 'id="result-trafficking">Trafficking<' in page
    status = re.search(r'id="child-status">([^<]*)<', page)
    assert status and status.group(1).startswith("Possible victim (")
    assert "needs a formal determination" in page  # says where "Actual" comes from
    detail = c.get(f"/cases/{case.pk}/").content.decode()
    label = re.search(r"Trafficking status</dt><dd>([^<]*)<", detail)
    assert label and label.group(1).startswith("Possible victim")
    assert 'id="no-determination"' in detail and 'id="determination-status"' not in detail
