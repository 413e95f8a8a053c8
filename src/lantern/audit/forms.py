"""The auditor's filters over the trail (shared by the page and its CSV export)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.audit.services import TrailFilters


class TrailFilterForm(forms.Form):
    username = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    agency = forms.CharField(label=_("Agency"), required=False, max_length=64)
    action = forms.CharField(label=_("Action"), required=False, max_length=32)
    resource = forms.CharField(label=_("Resource"), required=False, max_length=40)
    record_id = forms.CharField(label=_("Record"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> TrailFilters:
        """The filters typed in; none when the form is unbound or invalid (errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return TrailFilters()
        d = self.cleaned_data
        return TrailFilters(
            username=d["username"],
            agency=d["agency"],
            action=d["action"],
            resource=d["resource"],
            record_id=d["record_id"],
            since=d["since"],
            until=d["until"],
        )
