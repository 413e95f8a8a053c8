"""The page that chooses the area of a committee, a campaign or an inspection visit whose
words named no area of the list (``community.places``): the words shown, one list to choose
from, one service call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.edges.areas import AreaField
from lantern.edges.decorators import allowed
from lantern.edges.errors import show_error
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.response.community import places

BACK = {"committee": "web:committee", "campaign": "web:campaign", "inspection": "web:inspections"}


class PlaceForm(forms.Form):
    area_code = AreaField(gettext_lazy("Province or country"))


def _page(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    user = request.user
    row = places.record_for(user, kind, pk)
    form = PlaceForm(
        request.POST if request.method == "POST" else None, initial={"area_code": row.area_code}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                places.place(
                    user, kind, row.pk, form.cleaned_data["area_code"], request_source(request)
                )
            except ProtectionError as exc:
                status = show_error(form, exc)
            else:
                messages.success(request, _("Area saved."))
                back = BACK[kind]
                return redirect(back) if kind == "inspection" else redirect(back, row.pk)
    name = getattr(row, "name", "") or getattr(row, "title", "") or getattr(row, "workplace", "")
    context = {"form": form, "row": row, "name": name, "kind": kind}
    return render(request, "community/place.html", context, status=status)


@allowed("committee", "manage")
@require_http_methods(["GET", "POST"])
def committee_area(request: AuthedRequest, committee_id: int) -> HttpResponse:
    return _page(request, "committee", committee_id)


@allowed("campaign", "manage")
@require_http_methods(["GET", "POST"])
def campaign_area(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    return _page(request, "campaign", campaign_id)


@allowed("inspection", "record")
@require_http_methods(["GET", "POST"])
def inspection_area(request: AuthedRequest, inspection_id: int) -> HttpResponse:
    return _page(request, "inspection", inspection_id)
