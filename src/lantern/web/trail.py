"""The audit trail's pages, for auditors: the filtered trail and its CSV export.

In the shell, not in ``lantern.audit``: the trail sits below the policy (``lantern.accounts``
records through it), and these pages ask the policy.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.audit.forms import TrailFilterForm
from lantern.audit.services import request_source
from lantern.edges.decorators import allowed
from lantern.edges.typing import AuthedRequest


@allowed("audit", "view")
def audit_list(request: AuthedRequest) -> HttpResponse:
    form = TrailFilterForm(request.GET or None)
    page = Paginator(audit.filtered(form.filters()), 50).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/audit_list.html",
        {
            "page": page,
            "form": form,
            "query": urlencode(query),
            "may_export": policy.allows(request.user, "audit", "export"),
        },
    )


@allowed("audit", "export")
def audit_export(request: AuthedRequest) -> HttpResponse:
    """The (filtered) trail as CSV for auditors; the export is itself written to the trail."""
    form = TrailFilterForm(request.GET or None)
    buffer = io.StringIO()
    n = audit.write_csv(audit.filtered(form.filters()).order_by("seq").iterator(), buffer)
    audit.record(
        request.user, "export", "audit", "", reason=f"{n} entries", source=request_source(request)
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lantern-audit.csv"'
    return response
