"""The statistics a page or a download asks for: asked of the policy, built from the mart,
passed through disclosure control, audited."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantern.accounts import policy
from lantern.audit import services as audit
from lantern.errors import NotAllowed
from lantern.monitoring.dashboard.publishing import _published
from lantern.monitoring.statistics.table import Table, TableSpec, build_table


def may_view(user: Any) -> None:
    if not policy.allows(user, "statistics", "view"):
        raise NotAllowed(_("You may not read the statistics."))


def published_table(user: Any, spec: TableSpec, source: str = "", why: str = "table") -> Table:
    """``spec`` counted in the mart, as it may leave: small cells hidden; audited.

    ``user`` None is the host's operator (``lantern report annual``, as ``lantern stats
    table``): no role of Lantern reaches this over the network without a user."""
    if user is not None:
        may_view(user)
    table = _published(build_table(spec))
    audit.record(
        user, why, "statistics", "mart", reason=",".join(spec.dimensions)[:200], source=source
    )
    return table
