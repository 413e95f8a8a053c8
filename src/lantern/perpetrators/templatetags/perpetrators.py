"""Labels of the register's own choices in its templates (codes never reach a reader)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Choices

from lantern.accounts import policy
from lantern.edges.fields import label_of
from lantern.perpetrators.models import IdentifierKind, JusticeStage, PerpetratorKind
from lantern.perpetrators.service import may_read_register

register = template.Library()
_CHOICES: dict[str, type[Choices]] = {
    "stage": JusticeStage,
    "identifier": IdentifierKind,
    "kind": PerpetratorKind,
}


@register.filter
def choice_label(value: object, which: str) -> str:
    """``{{ step.stage|choice_label:"stage" }}``: the label of a justice stage, an identifier's
    kind or a record's kind."""
    if value in (None, ""):
        return ""
    return str(label_of(_CHOICES[which], value))


@register.simple_tag
def perpetrator_links(user: Any, case: Any) -> dict[str, Any]:
    """What the case page offers about its traffickers: the report form to those who may
    report on the case; the network and the register records to those who read the register."""
    may_report = policy.allows(user, "perpetrator", "report") and policy.case_allows(
        user, "update", case
    )
    may_read = may_read_register(user)
    readable = policy.scoped(user, "perpetrator", "view")
    named = readable.filter(actor_links__actor__roles__case=case).distinct() if may_read else []
    records = list(named)
    return {"report": may_report, "network": may_read, "perpetrators": records}
