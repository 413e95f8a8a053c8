"""Duplicates at intake (#15, item 5): the same child entered twice is a warning with the first
as a candidate; the caseworker opens it or goes on, and the choice is recorded and audited."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.linkage import services
from lantern.protection.intake.models import DuplicateChoice
from tests import factories
from tests.protection.conftest import P, World, post

pytestmark = pytest.mark.django_db

# What the issue typed twice: name, age, sex and citizenship; no birth date, no identity number.
IDENTICAL = {
    "given_name": "Asha",
    "family_name": "Gurung",
    "age": 14,
    "gender": "Feminine",
    "citizenship": ["NPL"],
    "home_country": "NPL",
}


def _intake(child: dict, **extra) -> dict:
    return {"child": child, **extra}


@pytest.fixture
def crowded(world: World, tmp_path: Path) -> World:
    """The world with 300 children of common names already recorded (one model prior of
    1 in 300, names worth less for being common), as a real store is."""
    rows = [factories.record(1000 + i, "ngo-one") for i in range(300)]
    factories.import_records(rows, tmp_path)
    services.invalidate_index()
    return world


def test_the_identical_child_entered_twice_is_a_warning_with_the_first(client, crowded):
    cw = crowded.h("cw")
    first = post(client, "/intake/self-referral", _intake(IDENTICAL), cw)
    assert first.status_code == 201, first.content
    again = post(client, "/intake/self-referral", _intake(IDENTICAL), cw)
    assert again.status_code == 409, again.content
    matches = again.json()["matches"]
    best = matches[0]
    assert best["case_id"] == first.json()["id"]
    # 0.79 here: in the review band, below the 0.8 that alone used to warn (the miss)
    assert 0.3 <= best["probability"] < 0.8 and best["basis"].startswith("record linkage")
    assert (best["age"], best["gender"], best["citizenship"]) == (14, "Feminine", ["NPL"])
    assert Case.objects.filter(person__isnull=False).count() == 301


def test_a_lone_home_country_does_not_count_against_the_child(crowded):
    """The model's 'same country' level means 'same country, other district': a query that
    names no district leaves the country out (measured: -0.9 bits on the demo country)."""
    record = services.search_record({"given_name": "Asha", "home_country": "NPL"})
    assert "prs_MailingCountry" not in record
    record = services.search_record(
        {"given_name": "Asha", "home_country": "NPL", "home_city": "Sindhupalchok"}
    )
    assert record["prs_MailingCountry"] == "NPL"


def test_going_on_records_the_choice_with_the_candidates(client, world):
    cw = world.h("cw")
    first = post(client, "/intake/self-referral", _intake(IDENTICAL), cw).json()["id"]
    assert not DuplicateChoice.objects.exists()  # nothing was shown: nothing to choose
    forced = post(client, "/intake/self-referral", _intake(IDENTICAL, confirm_new=True), cw)
    assert forced.status_code == 201
    choice = DuplicateChoice.objects.get()
    assert choice.choice == "new" and choice.case_id == forced.json()["id"]
    assert choice.candidates == [first] and choice.chosen_by == world.users["cw"]
    entry = AuditEntry.objects.filter(action="decide", resource="intake_duplicates").get()
    assert entry.record_id == choice.case.reference and "Asha" not in entry.reason


def test_opening_the_existing_case_records_the_choice_and_opens_no_case(client, world):
    cw = world.h("cw")
    first = post(client, "/intake/self-referral", _intake(IDENTICAL), cw).json()["id"]
    shown = post(client, "/intake/self-referral", _intake(IDENTICAL), cw).json()["matches"]
    body = {"channel": "self_referral", "candidates": [m["case_id"] for m in shown]}
    res = client.post(f"{P}/intake/existing/{first}", body, content_type="application/json", **cw)
    assert res.status_code == 200 and res.json()["id"] == first
    choice = DuplicateChoice.objects.get()
    assert (choice.choice, choice.case_id, choice.candidates) == ("existing", first, [first])
    assert Case.objects.count() == 1
    # another agency's caseworker can neither open it nor record anything about it
    out = client.post(
        f"{P}/intake/existing/{first}",
        body,
        content_type="application/json",
        **world.h("outsider"),
    )
    assert out.status_code == 404 and DuplicateChoice.objects.count() == 1
    bad = client.post(
        f"{P}/intake/existing/{first}",
        {"channel": "nowhere"},
        content_type="application/json",
        **cw,
    )
    assert bad.status_code == 422 and "channel" in bad.json()["detail"]


def test_a_candidate_of_another_agency_is_not_shown(client, world):
    post(client, "/intake/self-referral", _intake(IDENTICAL), world.h("outsider"))
    res = post(client, "/intake/self-referral", _intake(IDENTICAL), world.h("cw"))
    assert res.status_code == 201  # the only candidate is police-two's: not shown, not hinted
