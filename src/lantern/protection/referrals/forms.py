"""Referral forms: a referral to an organisation, and its answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.fields import checks, codes, date_input, set_choices, taxonomy_label, text
from lantern.protection.formfields import directory
from lantern.protection.referrals.models import ChildField, ConsentBasis
from lantern.protection.referrals.service import SHAREABLE, services_for_case


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service from the directory"), required=False)
    organisation = forms.ChoiceField(label=_("Refer to"), required=False)
    services = checks(_("Services requested"))
    fields_shared = checks(
        _("What the organisation may see (minimum necessary)"),
        [(f, ChildField(f).label) for f in SHAREABLE],
    )
    consent_basis = forms.ChoiceField(label=_("Consent basis"), choices=ConsentBasis.choices)
    override_reason = text(_("Reason for an override (supervisors)"))
    due_date = forms.DateField(label=_("Answer due by"), widget=date_input())

    def __init__(self, *args: Any, user: Any, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "organisation", directory(user))
        fitting = services_for_case(user, case) if case is not None else []
        set_choices(self, "service", [("", "—"), *((str(s.pk), offer_label(s)) for s in fitting)])
        set_choices(self, "services", codes("support_types"))


def offer_label(s: Any) -> str:
    """A directory service as the choice names it: organisation, service, what it offers."""
    offers = taxonomy_label(s.support_type, "support_types")
    return f"{s.organisation.name}: {s.name} ({offers})"


class AnswerForm(forms.Form):
    """Accept, decline (with a reason) or complete (with a note) a referral."""

    reason = text(_("Reason or note"))
