"""Forms for agreements and MoUs, and for readmission requests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.directory.forms import organisation_choices
from lantern.edges.fields import checks, codes, country_choices, date_input, set_choices, text
from lantern.protection.transfers.models import Agreement
from lantern.response.agreements.models import AgreementType

PACKET_MAX = 200_000


class AgreementForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=64)
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=AgreementType.choices)
    is_mou = forms.BooleanField(label=_("Memorandum of understanding"), required=False)
    countries = forms.MultipleChoiceField(label=_("Countries (parties)"))
    parties = checks(_("Signing organisations"))
    min_age = forms.IntegerField(label=_("Youngest age covered"), required=False, min_value=0)
    max_age = forms.IntegerField(label=_("Oldest age covered"), required=False, max_value=120)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=date_input())
    valid_from = forms.DateField(label=_("In force from"), widget=date_input())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=date_input())
    exchange = forms.ChoiceField(label=_("Exchange agreement (pinned keys)"), required=False)
    # last: the name shadows the module in the class body
    forms = checks(_("Forms of exploitation covered (none: all)"))
    field_order = [
        "reference",
        "title",
        "type",
        "is_mou",
        "countries",
        "parties",
        "forms",
        "min_age",
        "max_age",
        "signed_on",
        "valid_from",
        "valid_until",
        "exchange",
    ]

    def __init__(self, *args: Any, kept: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "countries", country_choices()[1:])
        set_choices(self, "parties", organisation_choices(kept))
        set_choices(self, "forms", codes("exploitation_forms"))
        refs = Agreement.objects.order_by("reference").values_list("reference", flat=True)
        set_choices(self, "exchange", [("", "—"), *((r, r) for r in refs)])


class ReadmissionForm(forms.Form):
    exchange = forms.ChoiceField(label=_("Exchange agreement"))
    case_reference = forms.CharField(label=_("Case reference"), required=False, max_length=64)
    proposed_date = forms.DateField(label=_("Proposed date of return"), widget=date_input())
    crossing_point = forms.CharField(label=_("Crossing point"), max_length=200)
    escort = text(_("Escort (officers, their contacts)"), area=True, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refs = Agreement.objects.order_by("reference").values_list("reference", flat=True)
        set_choices(self, "exchange", [("", "—"), *((r, r) for r in refs)])
        self.fields["escort"].required = True


class PacketForm(forms.Form):
    packet = forms.FileField(label=_("Packet received from the partner"))

    def clean_packet(self) -> bytes:
        upload = self.cleaned_data["packet"]
        if upload.size is not None and upload.size > PACKET_MAX:
            raise forms.ValidationError(_("The file is too large to be a readmission packet."))
        data: bytes = upload.read()
        return data


class AnswerForm(forms.Form):
    accepted = forms.ChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept: the reception is arranged")), ("no", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = text(_("Note to the partner (reception, contact office)"), max_length=300)
