"""The upload form: the file, the shape of its rows, the agency for shapes without one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lantern.cases.importing.sources import SOURCES
from lantern.edges.uploads import max_upload_bytes, too_large

#: How each source is named on the page (a source without a label here shows its code).
LABELS: dict[str, Any] = {
    "htcds": _("Lantern's own columns (HTCDS)"),
    "ctdc": _("CTDC data set (2020 or 2024 columns)"),
    "odk": _("ODK Central submissions (Lantern's field form)"),
    "kobo": _("KoboToolbox submissions (Lantern's field form)"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("The file"),
        help_text=_(
            "CSV, JSON, XLSX or Parquet; an ODK Central export as its CSV zip. Every row is "
            "checked before anything is imported."
        ),
    )
    source_format = forms.ChoiceField(label=_("Its format"), initial="htcds")
    for_agency = forms.CharField(
        label=_("Agency code"),
        required=False,
        max_length=64,
        help_text=_("Only for files with no agency column: whose records they are."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_format"].choices = [  # type: ignore[attr-defined]
            (name, LABELS.get(name, name)) for name in sorted(SOURCES)
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if too_large(upload):
            raise forms.ValidationError(
                _("This file is %(size)s; the largest accepted is %(limit)s.")
                % {
                    "size": filesizeformat(int(upload.size or 0)),
                    "limit": filesizeformat(max_upload_bytes()),
                }
            )
        return upload
