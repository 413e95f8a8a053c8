"""The page that records a formal determination (lantern.cases.determination).

The case page carries the same form for those the policy allows; this page answers its
refusals, with what was typed kept and the reason beside the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.cases import determination, queries
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.language import reader_language
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.taxonomy import code_list


class DeterminationForm(forms.Form):
    body = forms.ChoiceField(label=_("Deciding body"))
    decided_on = forms.DateField(
        label=_("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs, lang = code_list("decision_orgs"), reader_language()
        field = self.fields["body"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [
            (b, orgs.label(b, lang)) for b in determination.FORMAL_BODIES
        ]


@allowed("case", "determine")
@require_http_methods(["GET", "POST"])
def case_determination(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = queries.get_case(request.user, case_id, "determine")
    form = DeterminationForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            determination.record_determination(
                request.user,
                case,
                form.cleaned_data["body"],
                form.cleaned_data["decided_on"],
                source=request_source(request),
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            messages.success(request, _("Formal determination recorded."))
            return redirect(reverse("web:case_detail", args=[case.pk]) + "#determination")
    elif form.is_bound:
        status = 400
    return render(request, "web/determination.html", {"case": case, "form": form}, status=status)
