"""Where the parts of #18 meet: a plan, programme or agreement names only organisations the
coordinator has approved in the directory (a draft entry is no one's vetted body yet)."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.directory.models import Organisation
from lantern.errors import Invalid
from lantern.response.agreements import service as agreements
from lantern.response.agreements.forms import AgreementForm
from lantern.response.programmes import service
from lantern.response.programmes.forms import ProgrammeForm
from lantern.response.programmes.models import NationalPlan, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(db):
    return Organisation.objects.create(name="Unvetted Shelter", type="NGO", status="draft")


def _plan(user, lead, partners=()):
    return service.save_plan(
        user,
        title="National Plan of Action 2024-2028",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        responsible=lead.pk,
        partners=[p.pk for p in partners],
    )


def test_a_plan_or_programme_is_led_only_by_an_approved_organisation(coordinator, ministry, draft):
    with pytest.raises(Invalid) as exc:
        _plan(coordinator, draft)
    assert exc.value.field == "responsible" and "not approved" in str(exc.value)
    with pytest.raises(Invalid) as exc:
        _plan(coordinator, ministry, partners=[draft])
    assert exc.value.field == "partners"
    assert not NationalPlan.objects.exists()
    plan = _plan(coordinator, ministry)
    with pytest.raises(Invalid) as exc:
        service.save_programme(
            coordinator,
            plan=plan.pk,
            title="Safe villages",
            goal="Fewer children recruited",
            areas=["Bagmati"],
            starts_on=dt.date(2024, 1, 1),
            deadline=dt.date(2027, 12, 31),
            responsible=draft.pk,
        )
    assert exc.value.field == "responsible"
    assert not Programme.objects.exists()
    # the form offers only the approved ones
    offered = dict(ProgrammeForm().fields["responsible"].choices)
    assert str(ministry.pk) in offered and str(draft.pk) not in offered


def test_an_agreement_is_signed_only_by_approved_organisations(coordinator, ministry, draft):
    values = dict(
        reference="MOU-NPL-IND-2023",
        title="MoU on return",
        type="readmission",
        countries=["NPL", "IND"],
        valid_from=dt.date(2023, 1, 1),
    )
    with pytest.raises(Invalid) as exc:
        agreements.save_agreement(coordinator, **values, parties=[ministry.pk, draft.pk])
    assert exc.value.field == "parties" and "Unvetted Shelter" in str(exc.value)
    row = agreements.save_agreement(coordinator, **values, parties=[ministry.pk])
    assert list(row.parties.all()) == [ministry]
    offered = dict(AgreementForm().fields["parties"].choices)
    assert str(ministry.pk) in offered and str(draft.pk) not in offered
