"""The review queue: uncertain pairs a person confirms ("same child") or splits ("different").

Views parse, call one service and render; the policy layer decides who sees which pairs and
whose names (:mod:`lantern.linkage.services`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.linkage import services
from lantern.linkage.models import LinkRun


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
    item = services.review_item(request.user, pair_id, source=request_source(request))
    return render(
        request,
        "linkage/review_pair.html",
        {"item": item, "error": error, "reason": request.POST.get("reason", "")},
        status=400 if error else 200,
    )
