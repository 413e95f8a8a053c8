"""The menu a role sees: links named by the policy's permissions, never the check itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lantern.accounts.policy import allows

if TYPE_CHECKING:
    from lantern.accounts.models import User


#: The menu: label, page, and the grants of which any one shows it (``RULES`` resource, action).
MENU: tuple[tuple[Any, str, tuple[tuple[str, str], ...]], ...] = (
    (_("Cases"), "web:case_list", (("case", "list"),)),
    (_("Find a child"), "web:case_search", (("case", "list"),)),
    (_("Statistics"), "monitoring:dashboard", (("statistics", "view"),)),
    (_("Audit trail"), "web:audit_list", (("audit", "view"),)),
    (_("Possible duplicates"), "web:linkage_review", (("linkage", "review"),)),
    (_("New case"), "web:case_new", (("case", "create"), ("report", "submit"))),
    (_("Triage"), "web:triage_queue", (("triage", "view"),)),
    (_("My work"), "web:my_work", (("worklist", "view"),)),
    (_("Team caseload"), "web:team_caseload", (("caseload", "view"),)),
    (_("Family tracing"), "web:tracing_list", (("tracing", "manage"),)),
    (_("Receive a transfer"), "web:exchange_import", (("exchange", "import"),)),
    (_("Import records"), "web:imports", (("case", "import"),)),
    (_("Perpetrators"), "web:perpetrator_list", (("perpetrator", "list"),)),
    # the national response (#18)
    (_("Programmes"), "web:programme_list", (("programme", "view"),)),
    (_("Agreements"), "web:agreement_list", (("cooperation", "view"),)),
    # community prevention (lantern.response.community, #18)
    (_("Committees"), "web:committees", (("committee", "view"),)),
    (_("At-risk register"), "web:atrisk_list", (("atrisk", "view"),)),
    (_("Campaigns"), "web:campaigns", (("campaign", "view"),)),
    (_("Labour inspections"), "web:inspections", (("inspection", "view"),)),
    (_("Who does what"), "web:directory", (("organisation", "view"),)),
)


def navigation(user: User) -> list[dict[str, Any]]:
    """The menu a role sees; hiding an entry is convenience, never the check."""
    return [
        {"label": label, "url": reverse(name)}
        for label, name, grants in MENU
        if any(allows(user, resource, action) for resource, action in grants)
    ]
