"""The case page that works (issue #15, item 6), through Django's test client: an index of its
sections, a save that comes back to its section and says so, a refused form kept as typed on
the case page, errors in the reader's words, pickers by name, and labels instead of codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client

from lantern.accounts.models import Agency
from lantern.cases.models import Case, Consent
from lantern.protection.referrals.models import Referral
from lantern.web.case_sections import CASE_SECTIONS
from tests.web.protection_pages import (
    TODAY,
    World,
    as_user,
    assess_risk,
    new_case,
    page_text,
    post,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def _in_french(c: Client) -> Client:
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    return c


def _status_region(html: str) -> str:
    found = re.search(r'<div class="status-region" role="status">(.*?)</div>', html, re.S)
    assert found, "no status region on the page"
    return found.group(1)


# --- the index ---------------------------------------------------------------------------------


def test_every_entry_of_the_index_names_a_section_of_the_page(world: World) -> None:
    case = new_case(world)
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    nav = re.search(r'<nav class="section-index" id="section-index"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the case page has no section index"
    anchors = re.findall(r'href="#([\w-]+)"', nav.group(1))
    assert anchors == ["case-top", *(anchor for anchor, _ in CASE_SECTIONS)]
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    assert "hx-trigger" not in html  # drawn in place: the anchors exist when the page loads


def test_the_case_page_has_no_inline_script_or_style(world: World) -> None:
    case = new_case(world)
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"<style\b|\sstyle=", html)


def test_a_closed_case_keeps_its_sections_and_says_why_nothing_is_offered(world: World) -> None:
    case = new_case(world)
    Case.objects.filter(pk=case.pk).update(state="closed", status="Closed")
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    for anchor in ("transfer", "close"):
        section = re.search(rf'<section class="card" id="{anchor}">(.*?)</section>', html, re.S)
        assert section and "The case is closed." in section.group(1), anchor
    assert 'id="close-form"' not in html


# --- a save comes back to its section ---------------------------------------------------------


def test_a_save_returns_to_its_section_and_confirms_it(world: World) -> None:
    case = new_case(world)
    c = as_user(world, "cw")
    assess_risk(c, case)  # safety first: no placement before a risk assessment
    res = post(c, case, "place", **{"place-place": str(world.shelter.pk)})
    assert res.status_code == 302 and res["Location"] == f"/cases/{case.pk}/#placement"
    html = page_text(c.get(res["Location"]))
    assert "Saved: placement recorded." in _status_region(html)
    assert "House 7" in html
    again = page_text(c.get(f"/cases/{case.pk}/"))
    assert "Saved:" not in again  # said once


def test_every_form_posts_to_its_own_section(world: World) -> None:
    case = new_case(world)
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    actions = re.findall(r'action="/cases/\d+/protection/(#[\w-]*)?"', html)
    assert actions and all(actions), actions  # every protection form names its anchor


# --- a refused form is kept as typed ----------------------------------------------------------


def test_a_referral_refused_for_consent_comes_back_on_the_case_page_as_typed(
    world: World,
) -> None:
    case = new_case(world)
    due = (TODAY + dt.timedelta(days=10)).isoformat()
    res = post(
        as_user(world, "cw"),
        case,
        "refer",
        **{
            "refer-organisation": str(world.clinic.pk),
            "refer-services": ["medical"],
            "refer-fields_shared": ["given_name", "age"],
            "refer-consent_basis": "child_assent",
            "refer-due_date": due,
            "refer-override_reason": "typed by the worker",
        },
    )
    assert res.status_code == 403
    html = page_text(res)
    assert 'id="section-index"' in html and 'id="child-name"' in html  # the case page itself
    assert 'id="form-error"' in html and 'href="#referrals"' in html
    form = re.search(r'<form[^>]*id="refer-form".*?</form>', html, re.S)
    assert form, "the referral form is not on the page"
    typed = form.group(0)
    assert f'action="/cases/{case.pk}/protection/#referrals"' in typed
    assert "no child assent to referral sharing is recorded" in typed
    assert re.search(rf'<option value="{world.clinic.pk}" selected>', typed)
    assert re.search(r'value="medical"[^>]*checked', typed)
    assert re.search(r'value="given_name"[^>]*checked', typed)
    assert f'value="{due}"' in typed and 'value="typed by the worker"' in typed
    assert re.search(r'<details class="group" open><summary>Refer the child', html)
    assert not Referral.objects.exists()


# --- errors in the reader's words -------------------------------------------------------------


def test_a_services_reason_beside_its_field_drops_the_internal_name(world: World) -> None:
    case = new_case(world)
    res = post(
        as_user(world, "cw"),
        case,
        "schedule",
        **{"schedule-scheduled_for": (TODAY - dt.timedelta(days=1)).isoformat()},
    )
    html = page_text(res)
    assert res.status_code == 400
    beside = '<ul class="errorlist" id="id_schedule-scheduled_for_error"><li>cannot be in the past'
    assert beside in html and "scheduled_for:" not in html


def test_a_missing_reason_is_asked_for_in_french(world: World) -> None:
    case = new_case(world)
    res = post(_in_french(as_user(world, "cw")), case, "move", to="assessed", **{"move-reason": ""})
    html = page_text(res)
    assert res.status_code == 400
    beside = '<ul class="errorlist" id="id_move-reason_error"><li>Ce champ est obligatoire.</li>'
    assert beside in html and "reason:" not in html


# --- labels, not codes ------------------------------------------------------------------------


def test_the_case_page_shows_labels_where_it_showed_codes(world: World) -> None:
    case = new_case(world)
    Agency.objects.filter(pk=case.agency_id).update(name="Hope Shelter Network")
    Case.objects.filter(pk=case.pk).update(state="in_care")
    Consent.objects.create(case=case, item="data_processing", value=True, given_by="")
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    assert re.search(r'id="case-status">Active · In care<', html)
    assert re.search(r'id="case-agency">Hope Shelter Network<', html)
    consents = re.search(r'<ul class="rows" id="consents">(.*?)</ul>', html, re.S)
    assert consents and "Consent to the processing of the child's data: <strong>Yes" in (
        consents.group(1).replace("&#x27;", "'")
    )
    shown = re.sub(r'(value|id|name|class|href)="[^"]*"', "", html)  # the text, not attributes
    assert "in_care" not in shown
    assert "data_processing" not in shown and "· :" not in html


def test_the_referral_page_names_coded_fields_in_the_readers_language(world: World) -> None:
    case = new_case(world)
    ref = Referral.objects.create(
        case=case,
        organisation=world.partner,
        services=["vocational_training"],
        fields_shared=["given_name", "gender", "citizenship", "age_evidence"],
        consent_basis="child_assent",
        requested_at=dt.datetime.now(dt.UTC),
        due_date=TODAY + dt.timedelta(days=5),
    )
    c = _in_french(as_user(world, "partner"))
    html = page_text(c.get(f"/referrals/{ref.pk}/"))
    shared = re.search(r'<dl id="shared">(.*?)</dl>', html, re.S)
    assert shared, html[:500]
    text = shared.group(1)
    assert "Féminin" in text and "Népal" in text
    assert "Feminine" not in text and "NPL" not in text and "['" not in text


# --- pickers by name --------------------------------------------------------------------------


def test_the_case_list_filters_by_agency_and_country_names(world: World) -> None:
    mine = new_case(world)
    Agency.objects.filter(pk=mine.agency_id).update(name="Hope Shelter Network")
    code = mine.agency.code
    c = as_user(world, "sup")
    html = page_text(c.get("/cases/"))
    assert f'<option value="{code}">Hope Shelter Network</option>' in html
    assert '<option value="NPL">Nepal</option>' in html
    assert "ISO" not in html
    row = re.search(r'<td data-label="Agency">([^<]*)</td>', html)
    assert row and row.group(1) == "Hope Shelter Network"
    hit = page_text(c.get("/cases/", {"agency": code, "citizenship": "npl"}))
    assert mine.reference in hit and "(1)" in hit
    miss = page_text(c.get("/cases/", {"citizenship": "THA"}))
    assert mine.reference not in miss


def test_the_country_picker_is_in_the_readers_language_and_order(world: World) -> None:
    c = _in_french(as_user(world, "cw"))
    html = page_text(c.get("/cases/"))
    select = re.search(r'<select name="citizenship"[^>]*>(.*?)</select>', html, re.S)
    assert select
    names = re.findall(r'<option value="[A-Z]{3}"[^>]*>([^<]+)</option>', select.group(1))
    assert "Allemagne" in names and "Népal" in names
    assert names.index("Égypte") < names.index("Fidji")  # an accent does not move a name


def test_forms_listed_without_an_episode_are_said_so(world: World) -> None:
    case = new_case(world)
    Case.objects.filter(pk=case.pk).update(forms_of_exploitation=["forced_begging"])
    html = page_text(as_user(world, "cw").get(f"/cases/{case.pk}/"))
    found = re.search(r'id="no-episode">([^<]*)<', html)
    assert found and found.group(1) == "No episode recorded yet; the case lists: Forced begging."
