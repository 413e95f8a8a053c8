"""The triage item's forms: name the duty officer (supervisors) and close as handled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import User
from lantern.protection.triage.service import NOTE_MAX


class AssignOfficerForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("Duty officer"), coerce=int, choices=[])

    def __init__(self, *args: Any, officers: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [
            (w.pk, f"{w.get_full_name() or w.username} ({w.get_role_display()})") for w in officers
        ]
        field.error_messages["required"] = _("Choose the duty officer.")


class HandledForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done before closing the report.")},
    )
