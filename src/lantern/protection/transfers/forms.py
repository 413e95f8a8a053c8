"""Transfer forms: to another agency here, a packet for a partner, a packet received."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.cases.models import Case
from lantern.edges.fields import taxonomy_label
from lantern.protection.referrals.models import ConsentBasis
from lantern.protection.transfers.models import Agreement

PACKET_MAX = 5 * 1024 * 1024  # a packet is a few kilobytes; refuse anything absurd unread


def _read(upload: UploadedFile, limit: int, what: Any) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise forms.ValidationError(
            _("%(what)s: the file is larger than %(limit)s bytes"),
            params={"what": what, "limit": limit},
        )
    return upload.read()


def _agreements_in_force(on: dt.date) -> list[Agreement]:
    return [a for a in Agreement.objects.order_by("reference") if a.in_force(on)]


class DomesticForm(forms.Form):
    prefix = "domestic"  # both forms share a page: distinct field names and ids
    agency = forms.ChoiceField(label=_("Transfer to agency"))
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=500)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Agency.objects.exclude(pk=case.agency_id).order_by("name")
        field = self.fields["agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *((a.code, a.name) for a in others)]


class ExportForm(forms.Form):
    """A return home: the agreement it travels under (whose pinned partner receives it)."""

    prefix = "export"

    agreement = forms.ChoiceField(
        label=_("Bilateral agreement"),
        help_text=_("The packet is sealed for the partner installation pinned on it."),
    )
    consent_basis = forms.ChoiceField(label=_("Consent basis"), choices=ConsentBasis.choices)
    override_reason = forms.CharField(
        label=_("Reason for an override (supervisors)"), required=False, max_length=500
    )
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agreement"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "—"),
            *((a.reference, _choice_label(a)) for a in _agreements_in_force(timezone.localdate())),
        ]


def _choice_label(a: Agreement) -> str:
    label = f"{a.reference} · {a.title} ({taxonomy_label(a.partner_country, 'countries')})"
    if not a.partner_fingerprint:
        unpinned = _("no partner key pinned")
        return f"{label} · {unpinned}"
    return f"{label} · {a.partner_name} {a.partner_fingerprint[:12]}"


class ImportForm(forms.Form):
    packet = forms.FileField(
        label=_("The referral packet"),
        help_text=_(
            "It is checked against the partner key pinned on the agreement it names; "
            "no key file is needed."
        ),
    )

    def clean_packet(self) -> bytes:
        return _read(self.cleaned_data["packet"], PACKET_MAX, _("packet"))
