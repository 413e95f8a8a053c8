"""The menu a role sees: links named by the policy's permissions, never the check itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lantern.accounts.policy import allows

if TYPE_CHECKING:
    from lantern.accounts.models import User


def navigation(user: User) -> list[dict[str, Any]]:
    """The menu a role sees; hiding an entry is convenience, never the check."""
    items: list[dict[str, Any]] = []
    if allows(user, "case", "list"):
        items.append({"label": _("Cases"), "url": reverse("web:case_list")})
    if allows(user, "statistics", "view"):
        items.append({"label": _("Statistics"), "url": reverse("monitoring:estimate")})
    if allows(user, "audit", "view"):
        items.append({"label": _("Audit trail"), "url": reverse("web:audit_list")})
    if allows(user, "linkage", "review"):
        items.append({"label": _("Possible duplicates"), "url": reverse("web:linkage_review")})
    # protection workflow (lantern.protection.<domain>.views)
    if allows(user, "case", "create") or allows(user, "report", "submit"):
        items.append({"label": _("New case"), "url": reverse("web:case_new")})
    if allows(user, "worklist", "view"):
        items.append({"label": _("My work"), "url": reverse("web:my_work")})
    if allows(user, "caseload", "view"):
        items.append({"label": _("Team caseload"), "url": reverse("web:team_caseload")})
    if allows(user, "tracing", "manage"):
        items.append({"label": _("Family tracing"), "url": reverse("web:tracing_list")})
    if allows(user, "exchange", "import"):
        items.append({"label": _("Receive a transfer"), "url": reverse("web:exchange_import")})
    return items
