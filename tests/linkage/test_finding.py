"""Find a child: by name in another script, identity number, reference and date of birth,
only among the cases the user may list, audited without what was typed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.errors import Invalid, NotAllowed
from lantern.linkage import finding, services
from lantern.protection.intake import service as intake
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.agency("ngo-one")
    factories.agency("police-two", "police")
    users = {
        "cw": factories.user("cw", Role.CASEWORKER, agency_code="ngo-one"),
        "outsider": factories.user("outsider", Role.CASEWORKER, agency_code="police-two"),
        "coordinator": factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None),
    }

    def open_(who: str, given: str, family: str, **extra):
        child = intake.Child(given, family, gender="Feminine", citizenship=("NPL",), **extra)
        return intake.open_case(users[who], "self_referral", child, {}, confirm_new=True)

    cases = {
        "maya": open_("cw", "Maya", "Tamang", birthdate=dt.date(2011, 3, 4)),
        "sita": open_("cw", "Sita", "Rai", age=12, identity_number="NP-77-4242"),
        "dawa": open_("cw", "Dawa", "Sherpa", birthdate=dt.date(2009, 11, 20)),
        # another agency's child of the same name: never found by ngo-one, nor hinted at
        "other": open_("outsider", "Maya", "Tamang", birthdate=dt.date(2011, 3, 4)),
    }
    services.invalidate_index()
    return users, cases


def _refs(results: finding.Results) -> list[str]:
    return [r.reference for r in results.results]


def test_a_name_in_devanagari_finds_the_child_registered_in_latin(people):
    users, cases = people
    found = finding.find(users["cw"], finding.Query(name="माया तामाङ"))
    assert _refs(found)[:1] == [cases["maya"].reference]
    assert cases["other"].reference not in _refs(found)  # police-two's Maya: not in scope
    best = found.results[0]
    assert (best.given_name, best.family_name) == ("Maya", "Tamang") and found.names_shown
    assert best.band == "strong"  # the same name in another script, the same birth date


def test_one_name_alone_or_the_other_way_round_finds_the_child(people):
    users, cases = people
    assert cases["sita"].reference in _refs(finding.find(users["cw"], finding.Query(name="Rai")))
    assert cases["sita"].reference in _refs(
        finding.find(users["cw"], finding.Query(name="Rai Sita"))
    )


def test_identity_number_reference_and_birth_date(people):
    users, cases = people
    cw = users["cw"]
    by_id = finding.find(cw, finding.Query(identity_number="np-77-4242"))
    assert _refs(by_id) == [cases["sita"].reference] and by_id.results[0].band == "exact"
    by_ref = finding.find(cw, finding.Query(reference=cases["dawa"].reference.lower()))
    assert _refs(by_ref) == [cases["dawa"].reference]
    by_birth = finding.find(cw, finding.Query(birthdate=dt.date(2011, 3, 4)))
    assert _refs(by_birth) == [cases["maya"].reference]  # not police-two's child born that day
    assert finding.find(cw, finding.Query(reference=cases["other"].reference)).results == []


def test_another_agency_finds_its_own_child_only(people):
    users, cases = people
    found = finding.find(users["outsider"], finding.Query(name="Maya Tamang"))
    assert _refs(found) == [cases["other"].reference] and found.count == 1


def test_roles_without_identities_search_by_reference_only_and_see_no_names(people):
    users, cases = people
    coordinator = users["coordinator"]
    with pytest.raises(NotAllowed, match="search by case reference"):
        finding.find(coordinator, finding.Query(name="Maya"))
    with pytest.raises(NotAllowed):
        finding.find(coordinator, finding.Query(birthdate=dt.date(2011, 3, 4)))
    found = finding.find(coordinator, finding.Query(reference=cases["maya"].reference))
    assert _refs(found) == [cases["maya"].reference] and not found.names_shown
    assert found.results[0].given_name is None
    with pytest.raises(Invalid):
        finding.find(users["cw"], finding.Query())


def test_the_search_is_audited_without_what_was_typed(people):
    users, cases = people
    before = AuditEntry.objects.count()
    finding.find(users["cw"], finding.Query(name="Maya Tamang", identity_number="NP-1"))
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    (search,) = [e for e in entries if e.action == "search"]
    assert search.resource == "case"
    assert search.fields == ["name", "identity_number"]
    for e in entries:  # nothing typed is kept: neither the name nor the number
        text = json.dumps([e.record_id, e.reason, e.fields])
        assert "Maya" not in text and "Tamang" not in text and "NP-1" not in text
    assert not [e for e in entries if e.reason == "search results"]  # no number matched
    before = AuditEntry.objects.count()
    found = finding.find(users["cw"], finding.Query(name="Maya Tamang"))
    reads = AuditEntry.objects.filter(pk__gt=before, action="read", reason="search results")
    assert reads.count() == len(found.results) >= 1  # one per child whose name is shown
    assert str(cases["maya"].person.key) in {e.record_id for e in reads}


def test_the_page_and_the_api(people, client: Client):
    users, cases = people
    factories.verified_login(client, users["cw"])
    page = client.get("/cases/search/")
    assert page.status_code == 200 and b'name="birthdate"' in page.content
    res = client.post("/cases/search/", {"name": "माया तामाङ"})
    assert res.status_code == 200
    body = res.content.decode()
    assert cases["maya"].reference in body and "Maya" in body
    assert cases["other"].reference not in body
    # the case list's box: a reference typed in it finds the case
    res = client.post("/cases/search/", {"name": cases["dawa"].reference})
    assert cases["dawa"].reference in res.content.decode()
    empty = client.post("/cases/search/", {"name": "", "reference": ""})
    assert empty.status_code == 400 and "Type a name" in empty.content.decode()
    # a bad date keeps what was typed
    bad = client.post("/cases/search/", {"name": "Maya", "birthdate": "31/02/2011"})
    assert bad.status_code == 400 and 'value="Maya"' in bad.content.decode()
    token = factories.api_token("cw")
    api = client.post(
        "/api/search/children",
        {"name": "Maya Tamang"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 200, api.content
    data = api.json()
    assert data["results"][0]["reference"] == cases["maya"].reference
    assert data["page_size"] == finding.PAGE_SIZE and data["count_exact"] is True


def test_the_case_list_shows_names_only_to_roles_that_see_identities(people, client: Client):
    users, cases = people
    factories.verified_login(client, users["cw"])
    before = AuditEntry.objects.filter(action="read", resource="person").count()
    body = client.get("/cases/").content.decode()
    assert "Maya Tamang" in body and 'id="search-box"' in body
    assert AuditEntry.objects.filter(action="read", resource="person").count() == before + 3
    client.force_login(users["coordinator"])
    body = client.get("/cases/").content.decode()
    assert "Tamang" not in body and cases["maya"].reference in body


def test_other_agencies_children_neither_hide_the_users_child_nor_show_in_the_count(
    people, monkeypatch
):
    """The index ranks the whole country: with room for three, police-two's exact matches of
    the name filled it, and ngo-one's own Maaya (a spelling away) was missed."""
    users, cases = people
    for _ in range(4):
        intake.open_case(
            users["outsider"],
            "self_referral",
            intake.Child("Maya", "Tamang", gender="Feminine", citizenship=("NPL",), age=14),
            {},
            confirm_new=True,
        )
    child = intake.Child("Maaya", "Tamang", gender="Feminine", citizenship=("NPL",), age=14)
    mine = intake.open_case(users["cw"], "self_referral", child, {}, confirm_new=True)
    services.invalidate_index()
    monkeypatch.setattr(finding, "POOL", 2)
    found = finding.find(users["cw"], finding.Query(name="Maya Tamang"))
    assert _refs(found) == [cases["maya"].reference, mine.reference]
    assert found.count_exact and found.count == 2  # nothing hinted at beyond the user's own
