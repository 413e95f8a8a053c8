"""The new-case pages through Django's test client: the channel chooser, each channel's form
keeping what was typed, the search before create side by side, and a reporter's minimal form."""

from __future__ import annotations

import re

import pytest

from lantern.cases.models import Case
from lantern.protection.intake.models import DuplicateChoice, Intake
from tests.web.protection_pages import World, as_user, new_case, page_text, transit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# --- new case ---------------------------------------------------------------------------------


def test_the_channel_chooser_offers_every_channel_to_caseworkers(world: World) -> None:
    html = page_text(as_user(world, "cw").get("/cases/new/"))
    for channel in (
        "transit_reception",
        "hotline",
        "rescue",
        "referral",
        "self_referral",
        "community_report",
    ):
        assert f'id="channel-{channel}"' in html
    assert "Port or station reception" in html


def test_a_port_reception_opens_a_case_with_the_channels_facts(world: World) -> None:
    case = new_case(world)
    intake = Intake.objects.get(case=case)
    assert case.intake_channel == "transit_reception" and case.owner == world.users["cw"]
    assert intake.met_by_expected_contact is False and intake.return_passage_offered is True
    assert intake.place == "Birgunj bus terminal"
    page = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/protection/"))
    assert "Birgunj bus terminal" in page
    assert re.search(r'id="met-expected">No, not met<', page)


def test_the_intake_form_keeps_what_was_typed_and_shows_the_services_reason(world: World) -> None:
    res = as_user(world, "cw").post("/cases/new/", transit(return_passage_offered=""))
    assert res.status_code == 400
    html = page_text(res)
    assert "Say whether a return passage home was offered" in html
    assert "return_passage_offered:" not in html  # the reason, not the internal name
    assert 'value="Birgunj bus terminal"' in html and 'value="Maya"' in html
    assert not Case.objects.exists()


def test_the_return_passage_question_preselects_no_answer_its_rule_refuses(world: World) -> None:
    """The rule wants yes or no when nobody met the child: the page offers exactly those, none
    preselected (it used to preselect "Unknown" and then refuse it)."""
    html = page_text(as_user(world, "cw").get("/cases/new/?channel=transit_reception"))
    radios = re.findall(r'<input type="radio" name="return_passage_offered"[^>]*>', html)
    assert [re.search(r'value="(\w+)"', r).group(1) for r in radios] == ["yes", "no"]  # type: ignore[union-attr]
    assert not [r for r in radios if "checked" in r]
    other = re.findall(r'<input type="radio" name="rights_information_given"[^>]*>', html)
    assert len(other) == 3  # a question no rule requires still offers "Unknown"


def test_citizenship_is_chosen_by_its_name_and_kept_as_its_code(world: World) -> None:
    html = page_text(as_user(world, "cw").get("/cases/new/?channel=transit_reception"))
    assert re.search(r'<select name="citizenship"[^>]*>', html)
    assert '<option value="NPL">Nepal</option>' in html
    assert "ISO" not in html
    case = new_case(world, citizenship="NPL")
    assert case.citizenship == "NPL"


def test_a_country_outside_the_list_is_refused_beside_its_field(world: World) -> None:
    res = as_user(world, "cw").post("/cases/new/", transit(citizenship="XXX"))
    assert res.status_code == 400
    assert "Select a valid choice. XXX is not one of the available choices." in page_text(res)
    assert not Case.objects.exists()


def test_search_before_create_shows_the_existing_record_side_by_side(world: World) -> None:
    first = new_case(world)
    c = as_user(world, "cw")
    res = c.post("/cases/new/", transit(given_name="MAYA", birthdate="2011-03-04"))
    assert res.status_code == 409
    html = page_text(res)
    assert f'id="match-{first.pk}"' in html and first.reference in html
    row = re.search(r'<tr class="(\w+)"><th>Date of birth</th>', html)
    assert row and row.group(1) == "agree"
    assert f'action="/cases/new/existing/{first.pk}/"' in html
    assert 'value="MAYA"' in html  # the form is still filled in
    assert Case.objects.count() == 1
    res = c.post("/cases/new/", transit(given_name="MAYA", confirm_new="1"))
    assert res.status_code == 302 and Case.objects.count() == 2
    choice = DuplicateChoice.objects.get()
    assert choice.choice == "new" and choice.candidates == [first.pk]


def test_the_side_by_side_shows_labels_and_opening_the_record_is_recorded(world: World) -> None:
    first = new_case(world, birthdate="", age="14", home_country="NPL")
    c = as_user(world, "cw")
    res = c.post("/cases/new/", transit(birthdate="", age="14", given_name="माया"))
    assert res.status_code == 409
    html = page_text(res)
    assert re.search(r'<tr class="agree"><th>Given name</th><td[^>]*>माया</td>', html)
    assert re.search(r'<tr class="agree"><th>Citizenship</th><td[^>]*>Nepal</td>', html)
    assert re.search(r'<tr class="agree"><th>Age</th><td[^>]*>14</td>', html)
    assert ">NPL<" not in html  # labels, not codes
    assert 'value="माया"' in html and 'value="14"' in html  # the form keeps what was typed
    res = c.post(
        f"/cases/new/existing/{first.pk}/",
        {"channel": "transit_reception", "candidates": [str(first.pk), "999999"]},
    )
    assert res.status_code == 302 and res["Location"] == f"/cases/{first.pk}/"
    choice = DuplicateChoice.objects.get()
    assert (choice.choice, choice.candidates) == ("existing", [first.pk])  # 999999: not shown
    assert choice.chosen_by == world.users["cw"] and Case.objects.count() == 1
    # a reload only opens the case; another agency's worker finds nothing there
    assert c.get(f"/cases/new/existing/{first.pk}/").status_code == 302
    assert as_user(world, "outsider").get(f"/cases/new/existing/{first.pk}/").status_code == 404


def test_a_differing_field_is_marked_as_differing(world: World) -> None:
    new_case(world, identity_number="NP-1")
    res = as_user(world, "cw").post(
        "/cases/new/", transit(identity_number="NP-1", given_name="Sita", birthdate="2010-01-01")
    )
    html = page_text(res)
    assert re.search(r'<tr class="differ"><th>Given name</th>', html)
    assert re.search(r'<tr class="differ"><th>Date of birth</th>', html)


def test_a_reporter_gets_only_the_minimal_form_and_a_receipt(world: World) -> None:
    c = as_user(world, "reporter")
    chooser = page_text(c.get("/cases/new/"))
    assert 'id="channel-community_report"' in chooser and "channel-hotline" not in chooser
    assert c.get("/cases/new/?channel=hotline").status_code == 404
    form = page_text(c.get("/cases/new/?channel=community_report"))
    assert 'name="family_name"' not in form and 'name="identity_number"' not in form
    res = c.post(
        "/cases/new/",
        {
            "channel": "community_report",
            "given_name": "Pong",
            "place": "Route 3 bus",
            "concerns": ["unaccompanied"],
            "severity": "intervene",
            "reporter_name": "A. Driver",
        },
    )
    assert res.status_code == 200 and 'id="received"' in page_text(res)
    case = Case.objects.get()
    assert case.reference in page_text(res)
    assert c.get(f"/cases/{case.pk}/").status_code == 404  # the reporter cannot read it
    sup_page = page_text(as_user(world, "sup").get(f"/cases/{case.pk}/protection/"))
    assert "A. Driver" in sup_page  # supervisors see who reported (ETH-02)
    assert "A. Driver" not in page_text(as_user(world, "cw").get(f"/cases/{case.pk}/protection/"))
