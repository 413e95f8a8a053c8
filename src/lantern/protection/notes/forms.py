"""The Notes page's forms: a note, the narrative, an upload, a deletion. Blank or wrong values
are the services' to refuse, in the user's words; the forms only parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.edges.bounds import TEXT_MAX
from lantern.edges.fields import date_input
from lantern.protection.notes.attachments import DESCRIPTION_MAX
from lantern.protection.notes.models import NoteKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _prose(label: StrOrPromise, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *NoteKind.choices], required=False
    )
    body = _prose(_("Note"), 5)
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=date_input())


class NarrativeForm(forms.Form):
    text = _prose(_("Narrative"), 12)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (PDF, JPEG, PNG or plain text)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.jpg,.jpeg,.png,.txt,"
                "application/pdf,image/jpeg,image/png,text/plain"
            }
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=DESCRIPTION_MAX
    )


class DeletionForm(forms.Form):
    attachment = forms.CharField(widget=forms.HiddenInput, max_length=64)
    reason = forms.CharField(label=_("Why delete it?"), required=False, max_length=TEXT_MAX)
