"""The case page's community section: the committee whose report opened the case (what it saw,
for readers of the highly sensitive tier, audited) and the child's schooling."""

from __future__ import annotations

from typing import Any

from django import template

from lantern.accounts import policy
from lantern.accounts.policy import Tier
from lantern.audit import services as audit
from lantern.audit.services import request_source
from lantern.response.community.models import CommitteeReport, Enrolment

register = template.Library()


@register.inclusion_tag("community/_case_section_body.html", takes_context=True)
def community_case(context: template.Context) -> dict[str, Any]:
    """What the case page shows of community prevention (the case is one the user views)."""
    request, case = context["request"], context["case"]
    user = request.user
    report = CommitteeReport.objects.filter(case=case).select_related("committee").first()
    seen = None
    if report is not None and policy.may_read(user, Tier.HIGHLY_SENSITIVE):
        seen = str(report.seen)
        audit.record(
            user,
            "read",
            "committee_report",
            report.pk,
            ["seen"],
            reason=f"case {case.reference}",
            source=request_source(request),
        )
    return {
        "case": case,
        "report": report,
        "seen": seen,
        "enrolments": Enrolment.objects.filter(case=case).count(),
    }
