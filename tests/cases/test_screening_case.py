"""Screening on a case: observations, results, history, status, audit, scope, API and page."""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import pytest
from django.utils import timezone

from lantern.accounts.models import Agency, Role, User
from lantern.audit.models import AuditEntry
from lantern.cases import screening_i18n
from lantern.cases.models import Case, IndicatorObservation, ScreeningResult, TraffickingStatus
from lantern.cases.screening_services import (
    case_age_answers,
    decision_org,
    screen_case,
    trafficking_status_for,
)
from lantern.errors import NotFound
from lantern.screening import RULESET_VERSION, ScreeningInputError, checklist, parse_input, screen
from lantern.screening.reasons import RECOMMENDATIONS, TEMPLATES
from tests import factories

pytestmark = pytest.mark.django_db

CHILD_LABOUR = {
    "age": {"years": 14, "basis": "stated"},
    "acts": ["transfer"],
    "indicators": {
        "D4.excessive_hours": "yes",
        "D4.no_education": "yes",
        "D1.nature_of_job": "no",
        "D2.violence": "unknown",
    },
}
SMUGGLED = {
    "age": {"years": 15, "basis": "stated"},
    "acts": ["transportation"],
    "knowingly_bought_entry": True,
}
EXPLOITED_LATER = {**SMUGGLED, "indicators": {"D4.excessive_hours": "yes", "D4.bad_living": "yes"}}


@pytest.fixture
def cases(tmp_path):
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    rows = [factories.record(i, "ngo-one") for i in range(3)]
    rows.append(factories.record(50, "police-two"))
    factories.import_records(rows, tmp_path)
    return {
        "own": Case.objects.filter(agency__code="ngo-one").order_by("id").first(),
        "other": Case.objects.get(agency__code="police-two"),
    }


@pytest.fixture
def worker():
    return factories.user("cw", Role.CASEWORKER)


def _token(username: str, role: str = Role.CASEWORKER, agency: str | None = "ngo-one") -> dict:
    factories.user(username, role, agency_code=agency, team="casework" if agency else None)
    raw = factories.api_token(username)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- the service --------------------------------------------------------------------------


def test_a_screening_stores_its_observations_result_and_the_case_status(cases, worker):
    case = cases["own"]
    row = screen_case(worker, case, CHILD_LABOUR)

    assert row.trafficking == "yes" and row.status == "trafficking" and row.is_child is True
    assert row.ruleset_version == RULESET_VERSION and row.provisional is True
    assert row.result["reasons"] and row.result["recommendation_codes"] == ["child_victim"]
    assert row.screened_by == worker and row.previous is None and row.status_change == ""
    observed = {o.indicator_id: o.value for o in IndicatorObservation.objects.filter(screening=row)}
    assert observed == {
        "D4.excessive_hours": True,
        "D4.no_education": True,
        "D1.nature_of_job": False,
        "D2.violence": None,
    }
    assert set(IndicatorObservation.objects.values_list("observer", flat=True)) == {worker.pk}
    assert set(IndicatorObservation.objects.values_list("observed_at", flat=True)) == {
        row.screened_at
    }
    case.refresh_from_db()
    # Trafficking established by a screening is a possible victim: "Actual" is for a formal
    # determination (lantern.cases.determination), never for a screening.
    assert case.trafficking_status == TraffickingStatus.POSSIBLE
    assert case.trafficking_status_decided_by == "NGO"  # factories' ngo-one is an NGO
    stored = json.dumps([row.input, row.result])
    for name in (case.person.given_name, case.person.family_name):
        assert name not in stored  # codes and answers only, never names


def test_rescreening_keeps_history_and_dates_the_status_change(cases, worker):
    case = cases["own"]
    t0 = timezone.now() - dt.timedelta(days=10)
    first = screen_case(worker, case, SMUGGLED, at=t0)
    assert first.status == "smuggling" and first.trafficking == "undetermined"
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE  # protect while open
    kept = dict(first.result)

    t1 = t0 + dt.timedelta(days=7)
    second = screen_case(worker, case, EXPLOITED_LATER, at=t1)
    assert second.previous == first and second.screened_at == t1
    assert second.status_change == "smuggling_to_trafficking"
    first.refresh_from_db()
    assert first.result == kept and first.status == "smuggling"  # never rewritten
    assert list(ScreeningResult.objects.filter(case=case)) == [first, second]
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE  # a screening, not a decision

    with pytest.raises(ValueError, match="before the last screening"):
        screen_case(worker, case, SMUGGLED, at=t0 + dt.timedelta(days=1))
    assert ScreeningResult.objects.filter(case=case).count() == 2


def test_status_follows_each_kind_of_result(cases, worker):
    case = cases["own"]
    none_done = {"age": {"years": 12, "basis": "documented"}, "acts": [], "purposes": []}
    screen_case(worker, case, none_done)
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.NOT_A_VICTIM

    # Trafficking under both rules but the age is open: stays "possible" until it is settled.
    no_age = {
        "age": {},
        "acts": ["recruitment"],
        "means": ["deception"],
        "purposes": ["forced_labour"],
    }
    row = screen_case(worker, case, no_age)
    assert row.trafficking == "yes" and row.is_child is None
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE


def test_age_is_prefilled_from_the_case_when_left_out(cases, worker):
    case = cases["own"]
    case.age_at_identification, case.age_at_recruitment = 19, 16
    case.age_evidence, case.documented_age = "documented", 21
    case.save()
    assert case_age_answers(case) == {"years": 16, "basis": "documented", "documented_years": 21}
    row = screen_case(worker, case, {"acts": ["recruitment"]})
    assert row.input["age"]["years"] == 16 and row.is_child is True

    case.age_at_identification = case.age_at_recruitment = case.documented_age = None
    case.age_min = case.age_max = None  # the age as given: nothing known
    case.age_evidence = "presumed_minor"
    case.save()
    assert case_age_answers(case) == {"reasons_to_believe_child": True}
    assert screen_case(worker, case, {}).result["age_basis"] == "presumed_minor"

    # A bystander's estimate is no evidence of the age: a child by it, on no known basis.
    case.age_at_identification, case.age_evidence = 13, "reporter_estimate"
    case.save()
    assert case_age_answers(case) == {"years": 13}
    row = screen_case(worker, case, {})
    assert row.is_child is True and row.result["age_basis"] == "unknown"


@pytest.mark.parametrize(
    ("agency_type", "org"),
    [
        ("police", "Police"),
        ("ngo", "NGO"),
        ("ngo_shelter", "NGO"),
        ("hotline", "NGO"),
        ("reception_desk", "NGO"),
        ("government", "NonPoliceGovernmentalOrganization"),
        ("labour_inspection", "NonPoliceGovernmentalOrganization"),
        ("immigration", "NonPoliceGovernmentalOrganization"),
        ("health", "Other"),
        ("international_organisation", "Other"),
        ("", "Other"),  # the kind was not recorded
        ("shelter", "Other"),  # not a kind of the list (the old vocabulary's)
    ],
)
def test_deciding_organisation_comes_from_the_agency_type(agency_type, org):
    assert decision_org(User(agency=Agency(code="x", type=agency_type))) == org


def test_a_police_supervisor_screening_records_police_as_deciding(cases):
    sup = factories.user("sup", Role.SUPERVISOR, agency_code="police-two")
    case = cases["other"]
    screen_case(sup, case, CHILD_LABOUR)
    case.refresh_from_db()
    assert case.trafficking_status_decided_by == "Police"


def test_screening_and_status_change_are_audited_without_names(cases, worker):
    case = cases["own"]
    before = AuditEntry.objects.count()
    row = screen_case(worker, case, CHILD_LABOUR, source="test")
    entries = list(AuditEntry.objects.order_by("seq")[before:])
    assert [(e.action, e.resource, e.record_id) for e in entries] == [
        ("screen", "case", case.reference),
        ("update", "case", case.reference),
        ("update", "case", case.reference),  # the act it established, written back (#15)
    ]
    assert sorted(entries[0].fields) == sorted(CHILD_LABOUR["indicators"])
    assert f"screening {row.pk}" in entries[1].reason
    assert "PossibleVictimOfTrafficking" in entries[1].reason and "NGO" in entries[1].reason
    assert entries[2].fields == ["case.acts"] and "case.edit: change" in entries[2].reason
    assert entries[0].username == "cw"
    for e in entries:
        assert case.person.given_name not in e.reason

    # The same result again changes no status and adds nothing: only the screening is audited.
    screen_case(worker, case, CHILD_LABOUR)
    assert AuditEntry.objects.count() == before + 4


def test_only_screeners_in_scope_may_screen(cases, worker):
    with pytest.raises(NotFound):
        screen_case(worker, cases["other"], CHILD_LABOUR)  # another agency's case
    coordinator = factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    analyst = factories.user("an", Role.ANALYST, agency_code=None, team=None)
    for user in (coordinator, analyst):
        with pytest.raises(NotFound):
            screen_case(user, cases["own"], CHILD_LABOUR)
    assert not ScreeningResult.objects.exists()


def test_bad_answers_name_the_field_and_store_nothing(cases, worker):
    with pytest.raises(ScreeningInputError) as err:
        screen_case(worker, cases["own"], {"indicators": {"D4.excessive_hours": "maybe"}})
    assert err.value.field == "indicators.D4.excessive_hours"
    assert not ScreeningResult.objects.exists() and not IndicatorObservation.objects.exists()


def test_trafficking_status_rule_on_pure_results():
    child = screen(parse_input(CHILD_LABOUR))
    assert child.trafficking == "yes" and child.is_child is True
    assert trafficking_status_for(child) == TraffickingStatus.POSSIBLE  # never "Actual"
    open_age = screen(parse_input({"acts": ["recruitment"]}))
    assert trafficking_status_for(open_age) == TraffickingStatus.POSSIBLE


@pytest.mark.parametrize(
    "answers",
    [
        CHILD_LABOUR,
        SMUGGLED,
        EXPLOITED_LATER,
        {
            "age": {"years": 25, "basis": "documented"},
            "acts": ["recruitment"],
            "means": ["deception"],
            "purposes": ["forced_labour"],
        },
        {
            "age": {},
            "acts": ["recruitment"],
            "means": ["deception"],
            "purposes": ["sexual_exploitation"],
        },
    ],
)
def test_a_screening_never_makes_an_actual_victim(cases, answers):
    supervisor = factories.user("sup", Role.SUPERVISOR, agency_code="police-two")
    case = cases["other"]  # a police agency's supervisor: still a screening, not a decision
    row = screen_case(supervisor, case, answers)
    case.refresh_from_db()
    assert row.trafficking_status != TraffickingStatus.ACTUAL
    assert case.trafficking_status != TraffickingStatus.ACTUAL
    assert case.trafficking_determination_source == ""


# --- the API --------------------------------------------------------------------------------


def test_api_posts_and_lists_screenings(client, cases):
    h = _token("cw")
    case = cases["own"]
    url = f"/api/cases/{case.pk}/screenings"
    res = client.post(url, data=json.dumps(SMUGGLED), content_type="application/json", **h)
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["status"] == "smuggling" and body["screened_by"] == "cw"
    assert body["trafficking_status"] == "PossibleVictimOfTrafficking"
    res = client.post(url, data=json.dumps(EXPLOITED_LATER), content_type="application/json", **h)
    assert res.json()["status_change"] == "smuggling_to_trafficking"

    listed = client.get(url, **h).json()
    assert [s["status"] for s in listed] == ["smuggling", "trafficking"]
    assert listed[1]["previous"] == listed[0]["id"]


def test_api_gives_reasons_in_the_asked_language(client, cases):
    h = _token("cw")
    url = f"/api/cases/{cases['own'].pk}/screenings"
    client.post(url, data=json.dumps(CHILD_LABOUR), content_type="application/json", **h)
    en = client.get(url, **h).json()[0]["result"]
    fr = client.get(url + "?lang=fr", **h).json()[0]["result"]
    assert [r["code"] for r in fr["reasons"]] == [r["code"] for r in en["reasons"]]
    assert all(a["text"] != b["text"] for a, b in zip(en["reasons"], fr["reasons"], strict=True))
    assert fr["recommendation"].startswith("Traiter comme un enfant victime")
    assert "transfert" in " ".join(r["text"] for r in fr["reasons"])  # act label, in French


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"indicators": {"D9.nothing": "yes"}}, 422, "indicators.D9.nothing"),
        ({"age": {"years": "ten"}}, 422, "age.years"),
        ({"acts": ["kidnap"]}, 422, "acts"),
        ({"colour": "red"}, 422, "colour"),
        (["not", "an", "object"], 422, "(top level)"),
    ],
)
def test_api_bad_input_names_the_field(client, cases, payload, status, field):
    h = _token("cw")
    res = client.post(
        f"/api/cases/{cases['own'].pk}/screenings",
        data=json.dumps(payload),
        content_type="application/json",
        **h,
    )
    assert res.status_code == status
    assert res.json()["field"] == field and field in res.json()["detail"]


def test_api_malformed_json_is_a_400(client, cases):
    h = _token("cw")
    res = client.post(
        f"/api/cases/{cases['own'].pk}/screenings",
        data="{not json",
        content_type="application/json",
        **h,
    )
    assert res.status_code == 400 and res.json()["field"] == "(body)"


def test_api_outside_scope_or_role_answers_404(client, cases):
    payload = json.dumps(CHILD_LABOUR)
    other = f"/api/cases/{cases['other'].pk}/screenings"
    h = _token("cw")
    assert client.post(other, data=payload, content_type="application/json", **h).status_code == 404
    assert client.get(other, **h).status_code == 404
    own = f"/api/cases/{cases['own'].pk}/screenings"
    for name, role in (("nc", Role.NATIONAL_COORDINATOR), ("an", Role.ANALYST)):
        hh = _token(name, role, agency=None)
        res = client.post(own, data=payload, content_type="application/json", **hh)
        assert res.status_code == 404
        assert client.get(own, **hh).status_code == 404  # no highly sensitive tier / no view
    assert not ScreeningResult.objects.exists()


def test_api_checklist_in_spanish(client, cases):
    h = _token("cw")
    res = client.get("/api/screening/checklist?profile=child_labour&lang=es", **h)
    assert res.status_code == 200
    items = res.json()
    assert [i["indicator_id"] for i in items] == [i.indicator_id for i in checklist("child_labour")]
    d4 = next(i for i in items if i["indicator_id"] == "D4.excessive_hours")
    assert d4["help"] == screening_i18n.texts()["indicators"]["D4.excessive_hours"]["es"]["help"]
    assert d4["dimension_label"] == "Condiciones de explotación"
    bad = client.get("/api/screening/checklist?profile=toddler", **h)
    assert bad.status_code == 422 and bad.json()["field"] == "profile"


# --- the page -------------------------------------------------------------------------------


def _page_client(client, username: str = "cw2", role: str = Role.CASEWORKER, agency="ngo-one"):
    u = factories.user(username, role, agency_code=agency, team="casework" if agency else None)
    return factories.verified_login(client, u)


def _form_data(**extra: object) -> dict:
    data: dict = {
        "age_years": "13",
        "age_basis": "stated",
        "reasons_to_believe_child": "unknown",
        "knowingly_bought_entry": "unknown",
        "profile": "",
        "acts": ["recruitment"],
    }
    for item in checklist("child_labour"):
        data["i_" + item.indicator_id] = "unknown"
    data["i_D4.excessive_hours"] = data["i_D4.hazardous_work"] = "yes"
    data.update(extra)
    return data


def test_page_screens_and_shows_result_reasons_and_history(client, cases):
    c = _page_client(client)
    case = cases["own"]
    url = f"/cases/{case.pk}/screening/"
    res = c.post(url, _form_data())
    assert res.status_code == 302
    row = ScreeningResult.objects.get(case=case)
    assert row.input["acts"] == ["recruitment"] and row.input["age"]["years"] == 13
    assert len(row.input["indicators"]) == len(checklist("child_labour"))  # unknowns kept too
    page = c.get(url).content.decode()
    assert 'id="result-trafficking">Trafficking<' in page
    for reason in row.result["reasons"]:
        assert reason["text"] in page.replace("&#x27;", "'")
    assert 'id="history"' in page and "cw2" in page


def test_page_keeps_what_was_typed_on_error(client, cases):
    c = _page_client(client)
    res = c.post(f"/cases/{cases['own'].pk}/screening/", _form_data(acts=["none", "transfer"]))
    assert res.status_code == 400
    html = res.content.decode()
    assert "Tick either" in html
    assert re.search(r'name="age_years" value="13"', html)
    assert re.search(r'name="i_D4.excessive_hours" value="yes"[^>]*checked', html)
    assert not ScreeningResult.objects.exists()


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_page_renders_in_french_and_spanish_with_translated_help(client, cases, lang):
    c = _page_client(client)
    case = cases["own"]
    c.post(f"/cases/{case.pk}/screening/", _form_data())
    html = c.get(f"/cases/{case.pk}/screening/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    html = html.replace("&#x27;", "'").replace("&quot;", '"')
    own = screening_i18n.texts()["indicators"]["D4.excessive_hours"]
    assert own[lang]["help"] in html and own["en"]["help"] not in html
    assert f'<html lang="{lang}">' in html
    assert {"fr": "Indicateurs", "es": "Indicadores"}[lang] in html  # gettext, from the .po
    rec = {"fr": "Traiter comme un enfant victime", "es": "Tratar como niño víctima"}[lang]
    assert rec in html


def test_page_is_404_outside_scope_and_for_roles_that_cannot_screen(client, cases):
    c = _page_client(client)
    assert c.get(f"/cases/{cases['other'].pk}/screening/").status_code == 404
    own = f"/cases/{cases['own'].pk}/screening/"
    liaison = _page_client(client, "li", Role.LIAISON)
    assert liaison.get(own).status_code == 404
    for name, role in (("nc", Role.NATIONAL_COORDINATOR), ("an", Role.ANALYST)):
        client.force_login(factories.user(name, role, agency_code=None, team=None))
        assert client.get(own).status_code == 404
        assert client.post(own, _form_data()).status_code == 404
    assert not ScreeningResult.objects.exists()


def test_case_page_shows_the_screen_link_only_to_screeners(client, cases):
    case = cases["own"]
    c = _page_client(client)
    assert 'id="screen-link"' in c.get(f"/cases/{case.pk}/").content.decode()
    c.logout()
    nc = factories.user("nc", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    client.force_login(nc)
    res = client.get(f"/cases/{case.pk}/")
    assert res.status_code == 200 and 'id="screen-link"' not in res.content.decode()


# --- translations ---------------------------------------------------------------------------


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_reason_and_recommendation_is_translated_from_the_current_english():
    t = screening_i18n.texts()
    for source, ours in ((TEMPLATES, t["reasons"]), (RECOMMENDATIONS, t["recommendations"])):
        assert set(ours) == set(source)
        for code, english in source.items():
            assert ours[code]["en"] == english, f"{code}: English changed, revisit fr/es"
            for lang in ("fr", "es"):
                assert _fields(ours[code][lang]) == _fields(english), (code, lang)


def test_every_indicator_has_label_and_help_in_three_languages():
    from lantern.screening import load_catalogue

    t = screening_i18n.texts()["indicators"]
    assert set(t) == set(load_catalogue().indicators)
    for indicator_id, entry in t.items():
        assert entry["en"]["help"], indicator_id
        for lang in ("fr", "es"):
            assert entry[lang]["label"] and entry[lang]["help"] != entry["en"]["help"]


@pytest.mark.parametrize(
    "facts",
    [
        CHILD_LABOUR,
        SMUGGLED,
        EXPLOITED_LATER,
        {"acts": ["recruitment"]},
        {"age": {"years": 30, "basis": "documented"}, "acts": [], "means": [], "purposes": []},
        {
            "age": {"years": 16, "basis": "assessed", "documented_years": 19},
            "purposes": ["sexual_exploitation", "forced_criminality"],
            "knowingly_bought_entry": True,
            "indicators": {"D3.illegal_status": "yes", "D5.violence": "yes", "D5.threats": "yes"},
        },
        {"age": {"years": 25, "basis": "stated"}, "profile": "child_labour", "acts": ["receipt"]},
    ],
)
def test_every_reason_renders_in_french_and_spanish(facts):
    result = screen(parse_input(facts))
    stored = {**result.to_dict(), "recommendation_parts": []}
    rec = result.recommendation
    while rec is not None:
        stored["recommendation_parts"].append({"code": rec.code, "params": dict(rec.params)})
        rec = rec.then
    for lang in ("fr", "es"):
        local = screening_i18n.localise(stored, lang)
        for reason in local["reasons"]:
            assert "{" not in reason["text"] and reason["text"]
        assert local["recommendation"] != result.recommendation.text
        if result.recommendation.then is not None:  # age_first wraps the action, translated
            inner = screening_i18n.recommendation_text(stored["recommendation_parts"][1:], lang)
            assert local["recommendation"].endswith(inner)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_interface_catalogue_is_fully_translated_and_compiled(lang):
    folder = screening_i18n.TEXTS_FILE.parent / lang / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', po, flags=re.M)
    untranslated = [i for i, s in entries[1:] if s.strip() == '""']  # [0] is the header
    assert len(entries) > 100 and not untranslated, untranslated[:3]
    assert (folder / "django.mo").stat().st_size > 0
