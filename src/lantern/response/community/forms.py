"""The community pages' forms: every field optional at the form, so that the service gives the
one reason for a missing or wrong value (beside the field it names), as the API does."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.edges.areas import AreaField
from lantern.edges.bounds import NAME_MAX
from lantern.edges.fields import checks, codes, date_input, text
from lantern.protection.intake.models import Concern, Severity
from lantern.response.community.common import NOTES_MAX
from lantern.response.community.models import (
    Audience,
    CommitteeKind,
    ConsentBy,
    EducationKind,
    Material,
    MemberRole,
    PreventionService,
    RiskFactor,
    VisitOutcome,
)


def pick(label: Any, choices: type[models.Choices]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—"), *choices.choices], required=False)


def number(label: Any, maximum: int = 10**7) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=maximum)


def day(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=date_input())


class Coded(forms.Form):
    """A form whose taxonomy choices are labelled in the reader's language when shown."""

    taxonomy: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, list_name in self.taxonomy.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = codes(list_name, blank=True)


class AtRiskForm(Coded):
    taxonomy = {"gender": "genders"}

    given_name = text(_("Given name"), max_length=NAME_MAX)
    family_name = text(_("Family name"), max_length=NAME_MAX)
    community = text(_("Village or neighbourhood"), max_length=NAME_MAX)
    district = text(_("District"), max_length=NAME_MAX)
    age = number(_("Age in years"), 17)
    gender = forms.ChoiceField(label=_("Sex"), required=False)
    risk_factors = checks(_("What puts the child at risk"), RiskFactor.choices)
    services = checks(_("Referred for"), PreventionService.choices)
    notes = text(_("Notes"), area=True, max_length=NOTES_MAX)
    consent_by = pick(_("Consent given by"), ConsentBy)
    consent_on = day(_("Consent given on"))


class PreventionVisitForm(forms.Form):
    visited_on = day(_("Visited on"))
    outcome = pick(_("What the visit found"), VisitOutcome)
    notes = text(_("Notes"), area=True, max_length=NOTES_MAX)


class EnrolmentForm(forms.Form):
    kind = pick(_("Kind"), EducationKind)
    institution = text(_("School or training centre"), max_length=NAME_MAX)
    course = text(_("Grade, class or trade"), max_length=NAME_MAX)
    started_on = day(_("Started on"))


class AttendanceForm(forms.Form):
    month = day(_("Month (any day of it)"))
    days_attended = number(_("Days attended"), 31)
    days_open = number(_("Days the school was open"), 31)


class CommitteeForm(forms.Form):
    name = text(_("Name"), max_length=NAME_MAX)
    kind = pick(_("Kind"), CommitteeKind)
    area_code = AreaField(_("Province or country"))
    area = text(_("Villages, district or route (in words)"), max_length=NAME_MAX)
    facilitators = forms.TypedMultipleChoiceField(
        label=_("Facilitators"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, facilitators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(u.pk, u.get_full_name() or u.username) for u in facilitators]


class MemberForm(forms.Form):
    name = text(_("Name"), max_length=NAME_MAX)
    contact = text(_("Phone"), max_length=NAME_MAX)
    role = pick(_("Role in the group"), MemberRole)
    joined_on = day(_("Joined on"))


class ReportForm(Coded):
    """What a committee saw: the minimum a facilitator can tell from a phone in a minute."""

    taxonomy = {"child_gender": "genders"}

    seen = text(_("What did the group see?"), area=True, max_length=NOTES_MAX)
    place = text(_("Where"), max_length=NAME_MAX)
    seen_on = day(_("When"))
    severity = forms.ChoiceField(
        label=_("How grave is it"),
        choices=Severity.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    concerns = checks(_("What worried the group"), Concern.choices)
    child_name = text(_("The child's name, if known"), max_length=NAME_MAX)
    child_age = number(_("Age, as far as you can tell"), 25)
    child_gender = forms.ChoiceField(label=_("Sex"), required=False)


class CampaignForm(forms.Form):
    title = text(_("Title"), max_length=NAME_MAX)
    area_code = AreaField(_("Province or country"))
    area = text(_("Villages, district or route (in words)"), max_length=NAME_MAX)
    audiences = checks(_("Audience"), Audience.choices)
    materials = checks(_("Materials"), Material.choices)
    starts_on = day(_("Starts on"))
    ends_on = day(_("Ends on"))
    reach = number(_("People reached"))


class AreaFilter(forms.Form):
    """The campaign list's filter: one area of the list (blank: every area)."""

    area = AreaField(_("Area"), required=False)


class ReachForm(forms.Form):
    reach = number(_("People reached"))


class InspectionForm(Coded):
    taxonomy = {"sector": "isic_sections"}

    visited_on = day(_("Visited on"))
    workplace = text(_("Workplace"), max_length=NAME_MAX)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    area_code = AreaField(_("Province or country"))
    area = text(_("Town or industrial zone (in words)"), max_length=NAME_MAX)
    children_found = number(_("Children found"), 100_000)
    referrals_made = number(_("Referrals made"), 100_000)
    notes = text(_("Notes"), area=True, max_length=NOTES_MAX)
