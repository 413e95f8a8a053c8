"""The Story page's forms: pickers labelled in the reader's language, never codes.

Each form's fields are the service's (``service``, ``actors``) by name, plus the reason the
history keeps; ``values`` gives the service what it takes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import checks, codes, date_input, set_choices
from lantern.protection.story.checks import CROSSINGS, LABELS

REASON_HELP = _("Required to change or remove what was recorded; kept in the case's history.")


def _reason(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=LABELS["reason"],
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
        error_messages={"required": _("Say why you remove this; it is kept in the history.")},
    )


def _pick(name: str, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(label=LABELS[name], required=required, choices=[])


def _place(name: str) -> forms.CharField:
    return forms.CharField(label=LABELS[name], required=False, max_length=100)


def _day(name: str) -> forms.DateField:
    return forms.DateField(label=LABELS[name], required=False, widget=date_input())


class StoryForm(forms.Form):
    """Fills each picker from its code list when bound (the reader's language then)."""

    pickers: dict[str, str] = {}
    required_pickers: frozenset[str] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, list_name in self.pickers.items():
            if name not in self.fields:
                continue
            if list_name == "crossings":
                choices = [("", "—"), *((k, str(v)) for k, v in CROSSINGS.items())]
            elif isinstance(self.fields[name], forms.MultipleChoiceField):
                choices = codes(list_name)
            else:
                choices = codes(list_name, blank=True)
            set_choices(self, name, choices)

    def values(self) -> dict[str, Any]:
        """What the service takes: every field but the reason."""
        return {k: v for k, v in self.cleaned_data.items() if k != "reason"}

    @property
    def why(self) -> str:
        return str(self.cleaned_data.get("reason", ""))


class EventForm(StoryForm):
    pickers = {
        "type": "event_types",
        "country": "countries",
        "transport": "transport_modes",
        "crossing": "crossings",
    }
    type = _pick("type", required=True)
    date = _day("date")
    country = _pick("country")
    state = _place("state")
    city = _place("city")
    transport = _pick("transport")
    crossing = _pick("crossing")
    reason = _reason()


class EpisodeForm(StoryForm):
    pickers = {
        "form": "exploitation_forms",
        "isic_section": "isic_sections",
        "country": "countries",
    }
    form = _pick("form", required=True)
    isic_section = _pick("isic_section")
    start = _day("start")
    end = _day("end")
    country = _pick("country")
    reason = _reason()


class ActorForm(StoryForm):
    pickers = {"role": "actor_roles", "relationship": "relationship_to_trafficker"}
    role = _pick("role", required=True)
    relationship = _pick("relationship")
    ref = forms.CharField(
        label=LABELS["ref"],
        required=False,
        max_length=100,
        help_text=_(
            "A reference your agency already uses links the same person across cases; leave "
            "blank for a new one. Never a name."
        ),
    )
    network_ref = forms.CharField(label=LABELS["network_ref"], required=False, max_length=100)
    reason = _reason()


class ActorEditForm(StoryForm):
    pickers = {"role": "actor_roles", "relationship": "relationship_to_trafficker"}
    role = _pick("role", required=True)
    relationship = _pick("relationship")
    network_ref = forms.CharField(label=LABELS["network_ref"], required=False, max_length=100)
    reason = _reason()


class CircumstancesForm(StoryForm):
    pickers = {
        "vulnerabilities": "vulnerability_factors",
        "method_of_recruitment": "recruitment_methods",
        "methods_of_control": "control_methods",
        "forms_of_exploitation": "exploitation_forms",
        "acts": "palermo_acts",
    }
    vulnerabilities = checks(LABELS["vulnerabilities"])
    method_of_recruitment = _pick("method_of_recruitment")
    methods_of_control = checks(LABELS["methods_of_control"])
    forms_of_exploitation = checks(LABELS["forms_of_exploitation"])
    acts = checks(LABELS["acts"])
    reason = _reason()


class RemoveForm(StoryForm):
    reason = _reason(required=True)
