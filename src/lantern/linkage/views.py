"""The review queue: uncertain pairs a person confirms ("same child") or splits ("different").

Views parse, call one service and render; the policy layer decides who sees which pairs and
whose names (:mod:`lantern.linkage.services`).
"""

from __future__ import annotations

import dataclasses
import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern import taxonomy
from lantern.accounts.models import Agency
from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.language import reader_language
from lantern.linkage import services
from lantern.linkage.models import LinkRun

# The compared values that are codes (the service keeps them as stored, as the API gives them),
# and the list that labels each for the page.
_CODED = {
    "sex": "genders",
    "citizenship": "countries",
    "forms of exploitation": "exploitation_forms",
    "how recruited": "recruitment_methods",
    "relationship to the trafficker": "relationship_to_trafficker",
    "means of control": "control_methods",
    "vulnerabilities": "vulnerability_factors",
}


def _labels(list_name: str, joined: str | None) -> str | None:
    """A joined list of codes as their labels in the reader's language (unknown ones as given)."""
    if not joined:
        return joined
    lang = reader_language()
    out = []
    for code in re.split(r"[;,]\s*", joined):
        try:
            if list_name == "countries":
                out.append(taxonomy.country(code).name(lang))
            else:
                out.append(taxonomy.code_list(list_name).resolve(code).label(lang))
        except (taxonomy.UnknownCode, LookupError, ValueError):
            out.append(code)
    return ", ".join(out)


def _place(joined: str | None) -> str | None:
    """ "city, province, NPL" with the country by its name in the reader's language."""
    if not joined:
        return joined
    parts = [p.strip() for p in joined.split(",") if p.strip()]
    if parts and re.fullmatch(r"[A-Z]{3}", parts[-1]):
        parts[-1] = _labels("countries", parts[-1]) or parts[-1]
    return ", ".join(parts) or None


def _for_reader(item: services.ReviewItem) -> services.ReviewItem:
    """The pair as the page shows it: agencies by name, codes by label."""
    names = dict(Agency.objects.values_list("code", "name"))
    sides = [{**s, "agency": names.get(s["agency"], s["agency"])} for s in item.sides]
    rows = [
        {**r, **{k: _labels(_CODED[r["field"]], r[k]) for k in ("left", "right")}}
        if r["field"] in _CODED
        else {**r, **{k: _place(r[k]) for k in ("left", "right")}}
        if r["field"] == "home place"
        else r
        for r in item.comparison
    ]
    return dataclasses.replace(item, sides=sides, comparison=rows)


@allowed("linkage", "review")
def review_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.review_queue(request.user), 25).get_page(request.GET.get("page"))
    run = LinkRun.objects.filter(finished_at__isnull=False).order_by("-pk").first()
    return render(request, "linkage/review_queue.html", {"page": page, "run": run})


@allowed("linkage", "review")
@require_http_methods(["GET", "POST"])
def review_pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    error = ""
    if request.method == "POST":
        verdict = request.POST.get("decision", "")
        if verdict not in ("same", "different"):
            error = _("Choose “same child” or “different children”.")
        else:
            try:
                services.decide(
                    request.user,
                    pair_id,
                    verdict == "same",
                    request.POST.get("reason", ""),
                    source=request_source(request),
                )
            except services.SearchInputError:
                error = _("Say why: the reason is kept with the decision.")
            else:
                messages.success(request, _("Decision kept; later linkage runs will obey it."))
                return redirect("web:linkage_review")
    item = _for_reader(services.review_item(request.user, pair_id, source=request_source(request)))
    return render(
        request,
        "linkage/review_pair.html",
        {"item": item, "error": error, "reason": request.POST.get("reason", "")},
        status=400 if error else 200,
    )
