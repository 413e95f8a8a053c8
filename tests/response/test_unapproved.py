"""An organisation that leaves the directory's approved state (sent back to draft, or changed by
its agency and waiting for review again) is flagged wherever a plan, a programme or an
agreement names it, and is refused as a new reference; it is never kept as if approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.directory import service as directory
from lantern.errors import Invalid
from lantern.response.agreements import service as agreements
from lantern.response.programmes import service
from tests import factories
from tests.response.test_api import _call

pytestmark = pytest.mark.django_db


def _plan(user, lead, partners=()):
    return service.save_plan(
        user,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
    )


def _programme(user, plan, lead, partners=(), programme=None, title="Safe villages"):
    return service.save_programme(
        user,
        plan=plan.pk,
        title=title,
        starts_on=dt.date(2024, 1, 1),
        deadline=dt.date(2027, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
        programme=programme,
    )


def _agreement(user, parties, reference="MOU-NPL-IND-2023"):
    return agreements.save_agreement(
        user,
        reference=reference,
        title="MoU on return and reintegration",
        type="readmission",
        countries=["NPL", "IND"],
        valid_from=dt.date(2023, 1, 1),
        parties=[p.pk for p in parties],
    )


def test_a_lead_sent_back_to_draft_is_flagged_and_refused_anew(coordinator, ministry, partner):
    plan = _plan(coordinator, ministry)
    programme = _programme(coordinator, plan, ministry, [partner])
    assert service.unapproved(programme) == [] and service.unapproved(plan) == []

    directory.send_back(coordinator, "organisation", partner.pk)
    directory.send_back(coordinator, "organisation", ministry.pk)
    programme.refresh_from_db()
    plan.refresh_from_db()
    assert [o.name for o in service.unapproved(programme)] == [ministry.name, partner.name]
    assert service.unapproved(plan) == [ministry]

    # a new programme may not take them up, as lead or as partner
    with pytest.raises(Invalid) as exc:
        _programme(coordinator, plan, ministry, title="Another")
    assert exc.value.field == "responsible"
    other = directory.create_organisation(coordinator, {"name": "Maiti Nepal", "type": "NGO"})
    directory.submit(coordinator, "organisation", other.pk)
    directory.approve(coordinator, "organisation", other.pk)
    with pytest.raises(Invalid) as exc:
        _programme(coordinator, plan, other, [partner], title="Another")
    assert exc.value.field == "partners"

    # changing the programme keeps its bodies, still flagged, until they are replaced
    changed = _programme(coordinator, plan, ministry, [partner], programme, title="Renamed")
    assert changed.title == "Renamed" and service.unapproved(changed) == [ministry, partner]
    replaced = _programme(coordinator, plan, other, [], programme, title="Renamed")
    assert service.unapproved(replaced) == []
    # once replaced, the old lead is a new reference again: refused
    with pytest.raises(Invalid):
        _programme(coordinator, plan, ministry, [], programme)


def test_an_agency_edit_puts_its_organisation_back_in_review_and_flags_it(coordinator, ministry):
    staff = factories.user("orgstaff", Role.AGENCY_ADMIN)
    ministry.agency = staff.agency
    ministry.save()
    plan = _plan(coordinator, ministry)
    directory.update(staff, "organisation", ministry.pk, {"phone": "+977 1 555 0100"})
    plan.refresh_from_db()
    assert plan.responsible.status == "submitted"
    assert service.unapproved(plan) == [plan.responsible]
    directory.approve(coordinator, "organisation", ministry.pk)
    plan.refresh_from_db()
    assert service.unapproved(plan) == []


def test_an_agreement_flags_a_party_no_longer_approved(coordinator, ministry, partner):
    row = _agreement(coordinator, [ministry, partner])
    directory.send_back(coordinator, "organisation", partner.pk)
    row.refresh_from_db()
    assert agreements.unapproved(row) == [partner]
    with pytest.raises(Invalid) as exc:
        _agreement(coordinator, [partner], reference="MOU-2")
    assert exc.value.field == "parties"
    kept = agreements.save_agreement(
        coordinator,
        reference=row.reference,
        title="MoU, amended",
        type="readmission",
        countries=["NPL", "IND"],
        valid_from=dt.date(2023, 1, 1),
        parties=[ministry.pk, partner.pk],
        agreement=row,
    )
    assert agreements.unapproved(kept) == [partner]


def test_the_pages_and_the_api_show_the_flag(coordinator, ministry, partner):
    plan = _plan(coordinator, ministry)
    programme = _programme(coordinator, plan, ministry, [partner])
    agreement = _agreement(coordinator, [partner])
    directory.send_back(coordinator, "organisation", partner.pk)
    web = factories.verified_login(Client(), coordinator)
    warning = "No longer approved in the directory"
    for url in (
        reverse("web:programme_detail", args=[programme.pk]),
        reverse("web:programme_list"),
        reverse("web:agreement_detail", args=[agreement.pk]),
        reverse("web:agreement_list"),
    ):
        body = web.get(url).content.decode()
        assert warning in body and partner.name in body, url
    # the edit form still offers the body the programme names, marked, so a change keeps it
    body = web.get(reverse("web:programme_edit", args=[programme.pk])).content.decode()
    assert f"{partner.name} (no longer approved in the directory)" in body
    r = web.post(
        reverse("web:programme_edit", args=[programme.pk]),
        {
            "plan": plan.pk,
            "title": "Safe villages, phase two",
            "starts_on": "2024-01-01",
            "deadline": "2027-12-31",
            "responsible": ministry.pk,
            "partners": [partner.pk],
        },
    )
    assert r.status_code == 302
    # but a new programme's form does not offer it
    body = web.get(reverse("web:programme_new")).content.decode()
    assert partner.name not in body

    token = factories.api_token(coordinator.username)
    got = _call(token, "GET", "/api/programmes").json()
    assert got[0]["unapproved"] == [partner.name]
    got = _call(token, "GET", "/api/plans").json()
    assert got[0]["unapproved"] == []
    got = _call(token, "GET", f"/api/cooperation-agreements/{agreement.pk}").json()
    assert got["unapproved"] == [partner.name]
