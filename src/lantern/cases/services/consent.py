"""Recording the child's assent and a guardian's consent, item by item (HTCDS con_).

Consent is recorded per person who gave it, because the two can differ and a refusal by either
blocks sharing (``policy.may_share``, ``policy.may_refer``): a guardian may be the one who sold
the child, and a child's "no" is never overridden by a guardian's "yes".
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from lantern.audit import services as audit
from lantern.cases.models import Case, Consent
from lantern.cases.services.common import choice, codes, guard


class ConsentGiver(models.TextChoices):
    """Who answered a consent item: the child's assent or a guardian's consent."""

    CHILD = "child", gettext_lazy("The child (assent)")
    GUARDIAN = "guardian", gettext_lazy("A guardian (consent)")


GIVERS = tuple(ConsentGiver.values)


def record(
    user: Any, case: Case, *, item: str, value: bool | None, given_by: str, source: str = ""
) -> Consent:
    """Record (or change) one person's answer to one consent item; None means unknown."""
    guard(user, case, "protect")
    item = codes("consent_items", [item], "item", required=True)[0]
    given_by = choice(given_by, GIVERS, "given_by")
    row, _ = Consent.objects.update_or_create(
        case=case, item=item, given_by=given_by, defaults={"value": value}
    )
    answer = {True: "yes", False: "no", None: "unknown"}[value]
    audit.record(
        user,
        "update",
        "consent",
        case.reference,
        [item],
        reason=f"{given_by}: {answer}",
        source=source,
    )
    return row
