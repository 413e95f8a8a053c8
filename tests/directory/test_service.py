"""The directory's service: an agency keeps its own entries, a coordinator approves them, the
others see only approved entries; search in the entries' own languages; coverage gaps."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.directory import coverage, service
from lantern.directory.models import EntryStatus, Organisation
from lantern.errors import Invalid, NotAllowed, NotFound, Refused
from tests import factories

pytestmark = pytest.mark.django_db

CLINIC = {
    "name": "Centre d'accueil Soleil",
    "type": "NGO",
    "country": "NPL",
    "language": "fr",
    "description": "Accueil et sécurité des enfants victimes de la traite",
    "areas": ["NPL/Bagmati"],
    "sexes": ["Feminine"],
    "age_min": 8,
    "age_max": 17,
    "capacity": 30,
    "referral_criteria": "Filles de 8 à 17 ans",
}


@pytest.fixture
def people(fast_passwords: None) -> dict[str, Any]:
    return {
        "admin": factories.user("aadm", Role.AGENCY_ADMIN, agency_code="ngo-one"),
        "sup": factories.user("sup", Role.SUPERVISOR, agency_code="ngo-one"),
        "other": factories.user("other", Role.SUPERVISOR, agency_code="police-two"),
        "cw": factories.user("cw", Role.CASEWORKER, agency_code="police-two"),
        "coord": factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None),
        "analyst": factories.user("ana", Role.ANALYST, agency_code=None, team=None),
    }


def _approved(people: dict[str, Any], data: dict[str, Any] = CLINIC) -> Organisation:
    org = service.create_organisation(people["admin"], data)
    service.submit(people["admin"], "organisation", org.pk)
    return service.approve(people["coord"], "organisation", org.pk)  # type: ignore[no-any-return]


def test_an_agency_keeps_its_entry_and_a_coordinator_approves_it(people: dict[str, Any]) -> None:
    admin, coord, other = people["admin"], people["coord"], people["other"]
    org = service.create_organisation(admin, CLINIC)
    assert org.agency_id == admin.agency_id and org.status == EntryStatus.DRAFT
    # a draft: the agency and the approvers see it, nobody else
    assert org in service.listed(admin, "organisation")
    assert org in service.listed(coord, "organisation")
    assert org not in service.listed(other, "organisation")
    with pytest.raises(NotFound):
        service.update(other, "organisation", org.pk, {"capacity": 1})
    with pytest.raises(NotAllowed):
        service.approve(admin, "organisation", org.pk)
    with pytest.raises(Refused):  # not submitted yet
        service.approve(coord, "organisation", org.pk)
    service.submit(admin, "organisation", org.pk)
    org = service.approve(coord, "organisation", org.pk)
    assert (org.status, org.approved_by, org.submitted_by) == ("approved", coord, admin)
    assert org.approved_at is not None
    assert org in service.listed(other, "organisation")
    # the agency's change sends it back to review; the others no longer list it meanwhile
    org = service.update(admin, "organisation", org.pk, {"capacity": 12})
    assert (org.status, org.capacity) == ("submitted", 12)
    assert org not in service.listed(other, "organisation")
    assert AuditEntry.objects.filter(resource="organisation", record_id=str(org.pk)).count() == 4


def test_an_agency_writes_only_its_own_and_some_roles_none(people: dict[str, Any]) -> None:
    with pytest.raises(NotAllowed):
        service.create_organisation(people["admin"], CLINIC, agency=people["other"].agency_id)
    with pytest.raises(NotAllowed):
        service.create_organisation(people["cw"], CLINIC)
    with pytest.raises(NotAllowed):
        service.create_organisation(people["analyst"], CLINIC)
    external = service.create_organisation(people["coord"], {**CLINIC, "name": "Hill Clinic"})
    assert external.agency_id is None


def test_bad_input_names_the_field(people: dict[str, Any]) -> None:
    admin = people["admin"]
    cases = [
        ({**CLINIC, "name": " "}, "name"),
        ({**CLINIC, "sexes": ["Female"]}, "sexes"),
        ({**CLINIC, "areas": ["XXX/Bagmati"]}, "areas"),
        ({**CLINIC, "areas": ["NPL/Atlantis"]}, "areas"),  # a province of the list, or none
        ({**CLINIC, "age_min": 16, "age_max": 9}, "age_max"),
        ({**CLINIC, "capacity": -3}, "capacity"),
        ({**CLINIC, "colour": "red"}, "colour"),
    ]
    for data, field in cases:
        with pytest.raises(Invalid) as err:
            service.create_organisation(admin, data)
        assert err.value.field == field
    assert not Organisation.objects.exists()


def test_services_projects_and_lessons_live_under_the_organisation(people: dict[str, Any]) -> None:
    admin, coord, other = people["admin"], people["coord"], people["other"]
    org = _approved(people)
    svc = service.add(
        admin, "service", org.pk, {"name": "Soutien psychosocial", "support_type": "psychosocial"}
    )
    project = service.add(
        admin,
        "project",
        org.pk,
        {
            "title": "Retour à l'école",
            "funders": ["UNICEF"],
            "budget": "25000.50",
            "currency": "usd",
            "start": "2025-01-01",
            "end": "2026-06-30",
            "areas": ["NPL"],
        },
    )
    lesson = service.add(
        admin,
        "lesson",
        org.pk,
        {
            "title": "Cash transfers alone",
            "tried": "Cash to families",
            "result": "failure",
            "text": "Children went back to work",
            "project": project.pk,
        },
    )
    assert project.currency == "USD" and str(project.budget) == "25000.50"
    assert lesson.project == project
    for kind, row in (("service", svc), ("project", project), ("lesson", lesson)):
        assert row not in service.listed(other, kind)
        service.submit(admin, kind, row.pk)
        service.approve(coord, kind, row.pk)
        assert row in service.listed(other, kind)
    with pytest.raises(NotFound):
        service.add(other, "service", org.pk, {"name": "x", "support_type": "legal"})
    with pytest.raises(Invalid) as err:
        service.add(
            admin, "project", org.pk, {"title": "x", "start": "2026-01-02", "end": "2025-01-01"}
        )
    assert err.value.field == "end"


def test_services_for_a_child_fit_its_needs_sex_and_age(people: dict[str, Any]) -> None:
    admin, coord, cw = people["admin"], people["coord"], people["cw"]
    org = _approved(people)  # girls 8-17, Bagmati
    rows = {}
    for name, support in (("Counselling", "psychosocial"), ("Legal aid", "legal")):
        s = service.add(admin, "service", org.pk, {"name": name, "support_type": support})
        service.submit(admin, "service", s.pk)
        rows[name] = service.approve(coord, "service", s.pk)
    draft = service.add(admin, "service", org.pk, {"name": "Draft", "support_type": "legal"})
    found = service.services_for(cw, needs=["legal"], sex="Feminine", age=12)
    assert found == [rows["Legal aid"]]
    assert draft not in service.services_for(admin, needs=["legal"])
    assert service.services_for(cw, needs=["legal"], sex="Masculine") == []  # girls only
    assert service.services_for(cw, needs=["legal"], age=19) == []
    assert len(service.services_for(cw)) == 2  # no needs known yet: every approved service


def test_coverage_shows_areas_with_children_and_no_service(
    people: dict[str, Any], tmp_path: Any
) -> None:
    rows = [factories.record(i, "ngo-one") for i in range(5)]
    for i, r in enumerate(rows):
        r["prs_MailingCountry"] = "NPL"
        r["prs_MailingState"] = "Bagmati" if i < 2 else "Koshi"
    rows[4]["prs_MailingState"] = "Jhapa District"  # a district of Koshi, as agencies write it
    factories.import_records(rows, tmp_path)
    coord = people["coord"]
    org = _approved(people)
    s = service.add(
        people["admin"], "service", org.pk, {"name": "Shelter", "support_type": "accommodation"}
    )
    service.submit(people["admin"], "service", s.pk)
    before = {r.area: r for r in coverage.coverage(coord)}
    assert before["NPL/Koshi"].children == 3 and before["NPL/Koshi"].gap
    assert before["NPL/Bagmati"].children == 2 and before["NPL/Bagmati"].gap  # not approved yet
    service.approve(coord, "service", s.pk)
    after = coverage.coverage(coord)
    assert [r.area for r in after] == ["NPL/Koshi", "NPL/Bagmati"]  # gaps first
    assert after[1].services == 1 and not after[1].gap
    with pytest.raises(NotAllowed):
        coverage.coverage(people["admin"])
