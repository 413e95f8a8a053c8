"""The directory's page forms: an entry of each kind, and the list's filters. Their values go
to the service as the API's do (``lantern.directory.fields`` checks them there)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantern.directory.models import (
    EntryLanguage,
    EntryStatus,
    LessonResult,
    Organisation,
    OrganisationType,
)
from lantern.edges.areas import AreaField, AreasField
from lantern.edges.fields import CountryField, checks, codes, date_input, set_choices, text

AREAS_HINT = _("Choose the countries or provinces served (several: hold Ctrl, or touch each).")
NO_CHILD = _("About the organisation's work only: never a child's name or story.")


def _age(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=25)


def _language() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Language of the text"), choices=EntryLanguage.choices, initial="en"
    )


def organisation_choices(kept: list[Any] | None = None) -> list[tuple[str, str]]:
    """The directory's approved organisations (the only ones a record may take up), and those
    the record changed already names (``kept``), marked when no longer approved."""
    rows = Organisation.objects.filter(
        Q(status=EntryStatus.APPROVED) | Q(pk__in=kept or [])
    ).order_by("name")
    unapproved = _("%(name)s (no longer approved in the directory)")
    return [
        (str(o.pk), o.name if o.status == EntryStatus.APPROVED else unapproved % {"name": o.name})
        for o in rows
    ]


def split(value: str) -> list[str]:
    """A comma-separated field as a list (areas, funders)."""
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class ReachForm(forms.Form):
    """Whom the organisation or the service serves (blank: anyone)."""

    areas = AreasField(_("Areas covered"))
    age_min = _age(_("From age"))
    age_max = _age(_("To age"))
    capacity = forms.IntegerField(
        label=_("Capacity (children at a time)"), required=False, min_value=0
    )
    sexes = checks(_("Sexes served"))
    forms = checks(_("Forms of exploitation served"))  # (the module's name ends here)
    referral_criteria = text(_("Referral criteria"), area=True, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "sexes", codes("genders"))
        set_choices(self, "forms", codes("exploitation_forms"))
        self.fields["areas"].help_text = AREAS_HINT
        unplaced = kwargs.get("initial", {}).get("unmatched_areas")
        if unplaced:  # text an earlier version kept: shown until an area is chosen for it
            self.fields["areas"].help_text = _(
                "Written before areas were chosen from the list, not recognised: %(text)s. "
                "Choose the areas it means; saving replaces it."
            ) % {"text": "; ".join(unplaced)}

    def values(self) -> dict[str, Any]:
        """The cleaned data as the service takes it."""
        data = dict(self.cleaned_data)
        if "funders" in data:
            data["funders"] = split(data["funders"])
        return data


class OrganisationForm(ReachForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Kind of organisation"), choices=OrganisationType.choices)
    country = CountryField(_("Country"))
    services = checks(_("Services offered"))
    contact = text(_("Contact person or office"), max_length=200)
    email = text(_("E-mail"), max_length=200)
    phone = text(_("Telephone"), max_length=50)
    description = text(_("What the organisation does"), area=True, max_length=4000)
    language = _language()
    field_order = ["name", "type", "country", "language", "description", "services"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "services", codes("support_types"))
        self.fields["description"].help_text = NO_CHILD


class ServiceForm(ReachForm):
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    support_type = forms.ChoiceField(label=_("Kind of service"))
    description = text(_("What the service does"), area=True, max_length=4000)
    contact = text(_("Contact for referrals"), max_length=200)
    language = _language()
    field_order = ["name", "support_type", "language", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "support_type", codes("support_types", blank=True))
        self.fields["description"].help_text = NO_CHILD


class ProjectForm(ReachForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = text(_("What the project does"), area=True, max_length=4000)
    funders = text(_("Funders, separated by commas"), max_length=2000)
    budget = text(_("Budget"), max_length=20)
    currency = text(_("Currency (ISO code, e.g. USD)"), max_length=3)
    start = forms.DateField(label=_("Start"), required=False, widget=date_input())
    end = forms.DateField(label=_("End"), required=False, widget=date_input())
    language = _language()
    field_order = ["title", "language", "description", "funders", "budget", "currency", "areas"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("age_min", "age_max", "sexes", "forms", "capacity", "referral_criteria"):
            del self.fields[name]


class LessonForm(ReachForm):
    title = forms.CharField(label=_("Lesson"), max_length=200)
    project = forms.ChoiceField(label=_("Project"), required=False)
    tried = text(_("What was tried"), area=True, max_length=4000)
    result = forms.ChoiceField(label=_("Result"), choices=LessonResult.choices)
    text = text(_("What was learned"), area=True, max_length=4000)
    language = _language()
    field_order = ["title", "project", "language", "tried", "result", "text"]

    def __init__(self, *args: Any, projects: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("areas", "age_min", "age_max", "sexes", "forms", "capacity"):
            del self.fields[name]
        del self.fields["referral_criteria"]
        set_choices(self, "project", [("", "—"), *((str(p.pk), p.title) for p in projects)])
        self.fields["tried"].help_text = NO_CHILD

    def values(self) -> dict[str, Any]:
        data = super().values()
        data["project"] = int(data["project"]) if data.get("project") else None
        return data


FORMS: dict[str, type[ReachForm]] = {
    "organisation": OrganisationForm,
    "service": ServiceForm,
    "project": ProjectForm,
    "lesson": LessonForm,
}


class FilterForm(forms.Form):
    """The list's search box and filters, from the query string, kept as typed."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    support = forms.ChoiceField(label=_("Service"), required=False)
    area = AreaField(_("Area"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=25)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "type", [("", "—"), *OrganisationType.choices])
        set_choices(self, "support", codes("support_types", blank=True))
        set_choices(self, "sex", codes("genders", blank=True))
        set_choices(self, "form", codes("exploitation_forms", blank=True))
