"""A case's pages: the case list, a case's journey and who has seen it.

Views parse, ask the policy layer / a service, and render; they decide nothing themselves.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.audit.services import request_source
from lantern.cases import assignment, queries
from lantern.cases.assignment_views import owner_section
from lantern.cases.determination_views import DeterminationForm
from lantern.cases.forms import CaseFilterForm
from lantern.cases.models import LifecycleState
from lantern.edges.decorators import allowed, verified_required
from lantern.edges.fields import label_of
from lantern.edges.paging import BoundedPaginator
from lantern.edges.typing import AuthedRequest


@allowed("case", "list")
def case_list(request: AuthedRequest) -> HttpResponse:
    form = CaseFilterForm(
        request.GET or None,
        agencies=queries.listed_agencies(request.user),
        workers=assignment.workers(request.user),
    )
    filters = queries.CaseFilters()
    if form.is_valid():
        filters = queries.CaseFilters.from_mapping(
            {
                k: (v.isoformat() if hasattr(v, "isoformat") else v)
                for k, v in form.cleaned_data.items()
            }
        )
    qs = queries.case_list(request.user, filters).select_related("person", "agency")
    paginator = BoundedPaginator(qs, 25, request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    names = queries.names_of(request.user, list(page), source=request_source(request))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "web/case_list.html",
        {
            "form": form,
            "page": page,
            "total": paginator.total,
            "rows": [
                queries.case_summary(c) | {"name": names.get(c.pk), "agency_name": c.agency.name}
                for c in page
            ],
            "names_shown": bool(names),
            "may_search_names": policy.may_read(request.user, Tier.IDENTIFYING),
            "query": urlencode(query),
        },
    )


@verified_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = queries.get_case(request.user, case_id)
    data = queries.case_detail(request.user, case, source=request_source(request))
    context = {
        "case": case,
        "c": data,
        "state_label": label_of(LifecycleState, case.state),
        "determination_form": DeterminationForm(),
        **owner_section(request, case),  # in the page: one request, and no script needed
    }
    return render(request, "web/case_detail.html", context)


@verified_required
def case_access_log(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Who viewed, imported or changed a case: for supervisors (asked of the policy layer)."""
    case = queries.get_case(request.user, case_id, action="view_access_log")
    page = Paginator(audit.for_case(case), 50).get_page(request.GET.get("page"))
    audit.record(request.user, "view", "access_log", case.reference, source=request_source(request))
    return render(request, "web/access_log.html", {"case": case, "page": page})
