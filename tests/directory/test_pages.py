"""The directory's pages: the list and its search box, an organisation and its review, the
forms that keep what the user typed, the coordinator's queue and the coverage table."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.directory import service
from lantern.directory.models import EntryStatus, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(fast_passwords: None) -> dict[str, Any]:
    return {
        "admin": factories.user("aadm", Role.AGENCY_ADMIN, agency_code="ngo-one"),
        "other": factories.user("other", Role.SUPERVISOR, agency_code="police-two"),
        "coord": factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None),
    }


def _client(user: Any) -> Client:
    return factories.verified_login(Client(), user)  # type: ignore[no-any-return]


def _org(people: dict[str, Any], name: str, approve: bool = True, **extra: Any) -> Organisation:
    org = service.create_organisation(people["admin"], {"name": name, "type": "NGO", **extra})
    if approve:
        service.submit(people["admin"], "organisation", org.pk)
        service.approve(people["coord"], "organisation", org.pk)
    return org


def test_the_list_shows_others_only_approved_organisations(people: dict[str, Any]) -> None:
    _org(people, "Approved Refuge", areas=["NPL/Bagmati"])
    _org(people, "Unfinished Draft", approve=False)
    page = _client(people["other"]).get(reverse("web:directory")).content.decode()
    assert "Approved Refuge" in page and "Unfinished Draft" not in page
    assert "Nepal / Bagmati" in page  # an area by its country's name, not its code
    own = _client(people["admin"]).get(reverse("web:directory")).content.decode()
    assert "Unfinished Draft" in own


def test_the_search_box_finds_french_text_and_keeps_the_query(people: dict[str, Any]) -> None:
    org = _org(people, "Maison Soleil", language="fr", description="Sécurité des enfants")
    r = _client(people["other"]).get(reverse("web:directory"), {"q": "securite"})
    page = r.content.decode()
    assert r.status_code == 200 and 'value="securite"' in page
    assert f'href="/directory/{org.pk}/"' in page
    r = _client(people["other"]).get(reverse("web:directory"), {"q": "zebre"})
    assert "Nothing in the directory holds these words." in r.content.decode()


def test_filters_keep_what_was_chosen_and_a_bad_age_is_explained(people: dict[str, Any]) -> None:
    _org(people, "Girls Home", sexes=["Feminine"])
    _org(people, "Boys Home", sexes=["Masculine"])
    page = _client(people["other"]).get(reverse("web:directory"), {"sex": "Masculine"})
    text = page.content.decode()
    assert "Boys Home" in text and "Girls Home" not in text
    assert '<option value="Masculine" selected>' in text
    r = _client(people["other"]).get(reverse("web:directory"), {"age": "ninety"})
    assert r.status_code == 400 and 'value="ninety"' in r.content.decode()


def test_a_refused_form_comes_back_as_typed_with_the_reason(people: dict[str, Any]) -> None:
    c = _client(people["admin"])
    data = {
        "name": "Hill Refuge",
        "type": "NGO",
        "language": "en",
        "areas": ["XXX/Nowhere"],
        "description": "Shelter for girls",
    }
    r = c.post(reverse("web:directory_new"), data)
    page = r.content.decode()
    assert r.status_code == 400
    assert "Shelter for girls" in page and "XXX/Nowhere is not one of the available" in page
    assert not Organisation.objects.filter(name="Hill Refuge").exists()
    r = c.post(reverse("web:directory_new"), {**data, "areas": ["NPL", "NPL/Koshi"]})
    org = Organisation.objects.get(name="Hill Refuge")
    assert r.status_code == 302 and org.areas == ["NPL", "NPL/Koshi"]
    assert org.status == EntryStatus.DRAFT and org.agency == people["admin"].agency


def test_an_agency_submits_and_a_coordinator_approves_on_the_page(people: dict[str, Any]) -> None:
    org = _org(people, "Valley Centre", approve=False)
    url = reverse("web:directory_organisation", args=[org.pk])
    assert _client(people["other"]).get(url).status_code == 404  # another agency's draft
    step = {"kind": "organisation", "id": org.pk}
    r = _client(people["admin"]).post(url, {**step, "step": "approve"})
    assert r.status_code == 403 and "only a coordinator approves" in r.content.decode()
    assert _client(people["admin"]).post(url, {**step, "step": "submit"}).status_code == 302
    queue = _client(people["coord"]).get(reverse("web:directory_review")).content.decode()
    assert "Valley Centre" in queue
    assert _client(people["coord"]).post(url, {**step, "step": "approve"}).status_code == 302
    page = _client(people["other"]).get(url).content.decode()
    assert "approved by coord" in page
    assert _client(people["other"]).post(url, {**step, "step": "submit"}).status_code == 404


def test_a_service_project_and_lesson_are_added_from_the_organisation(
    people: dict[str, Any],
) -> None:
    org = _org(people, "Sunrise Centre")
    c = _client(people["admin"])
    add = reverse("web:directory_entry_new", args=[org.pk])
    r = c.post(
        f"{add}?kind=service",
        {
            "name": "Counselling",
            "support_type": "psychosocial",
            "language": "en",
            "age_min": "12",
            "age_max": "9",
        },
    )
    assert r.status_code == 400 and "cannot be below the lowest age" in r.content.decode()
    r = c.post(
        f"{add}?kind=service",
        {
            "name": "Counselling",
            "support_type": "psychosocial",
            "language": "en",
            "age_min": "9",
            "age_max": "17",
        },
    )
    assert r.status_code == 302
    r = c.post(
        f"{add}?kind=project",
        {
            "title": "Back to school",
            "language": "en",
            "funders": "UNICEF, ILO",
            "budget": "1200.5",
            "currency": "usd",
        },
    )
    assert r.status_code == 302
    project = org.projects.get()
    r = c.post(
        f"{add}?kind=lesson",
        {
            "title": "Cash alone fails",
            "language": "en",
            "result": "failure",
            "project": str(project.pk),
        },
    )
    assert r.status_code == 302
    page = c.get(reverse("web:directory_organisation", args=[org.pk])).content.decode()
    for text in ("Counselling", "Back to school", "UNICEF, ILO", "1200.50 USD", "Cash alone fails"):
        assert text in page
    assert project.funders == ["UNICEF", "ILO"]
    assert c.get(f"{add}?kind=nonsense").status_code == 404


def test_the_coverage_page_lists_gaps_first(people: dict[str, Any], tmp_path: Any) -> None:
    rows = [factories.record(i, "ngo-one") for i in range(3)]
    rows[2]["prs_MailingState"] = "Koshi"
    factories.import_records(rows, tmp_path)
    org = _org(people, "Bagmati Shelter", areas=["NPL/Bagmati"])
    s = service.add(
        people["admin"], "service", org.pk, {"name": "Beds", "support_type": "accommodation"}
    )
    service.submit(people["admin"], "service", s.pk)
    service.approve(people["coord"], "service", s.pk)
    page = _client(people["coord"]).get(reverse("web:directory_coverage")).content.decode()
    koshi, bagmati = page.index("Koshi</td>"), page.index("Bagmati</td>")
    assert koshi < bagmati  # the gap first
    assert "Bagmati Shelter: Beds" in page and "<svg" in page
    assert "counts twice here" in page  # what it counts: agencies' records, not linked children
    assert _client(people["admin"]).get(reverse("web:directory_coverage")).status_code == 404
