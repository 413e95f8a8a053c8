"""The page to find a child: one form, posted (names never travel in a URL or a server log).

Views parse, call one service and render; the service decides what may be searched and found
(:mod:`lantern.linkage.finding`).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.edges.bounds import NAME_MAX
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.paging import page_number
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.linkage import finding

#: A case reference, as ``Case.reference`` makes them ("C-" and hexadecimal digits).
REFERENCE = re.compile(r"[Cc]-[0-9A-Fa-f]{4,}")
#: What a result's band says, in the reader's language.
BAND_LABELS = {
    "exact": _("exact"),
    "strong": _("strong match"),
    "possible": _("possible match"),
    "weak": _("weak match"),
}


class SearchForm(forms.Form):
    """What to search by; the service says when nothing was given."""

    name = forms.CharField(
        label=_("Name, in any script"),
        required=False,
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    reference = forms.CharField(label=_("Case reference"), required=False, max_length=40)
    identity_number = forms.CharField(
        label=_("Identity number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birthdate = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if REFERENCE.fullmatch(d.get("name") or "") and not d.get("reference"):
            d["reference"], d["name"] = d["name"], ""  # a reference typed in the one box
        return d

    def query(self) -> finding.Query:
        d = self.cleaned_data
        return finding.Query(
            name=d["name"],
            identity_number=d["identity_number"],
            reference=d["reference"],
            birthdate=d["birthdate"],
        )


@allowed("case", "list")
@require_http_methods(["GET", "POST"])
def search(request: AuthedRequest) -> HttpResponse:
    """Find a child among the cases the user may list."""
    form = SearchForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "bands": BAND_LABELS}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = finding.find(
                request.user,
                form.query(),
                page_number(request.POST.get("page")),
                source=request_source(request),
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            context["found"] = found
            context["rows"] = [(r, BAND_LABELS[r.band]) for r in found.results]
    elif form.errors:
        status = 400
    return render(request, "linkage/search.html", context, status=status)
