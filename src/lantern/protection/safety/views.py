"""Safety on the case page: the risk assessment and the placement (``registry.CaseForm``)."""

from __future__ import annotations

from django import forms

from lantern.edges.fields import TRI
from lantern.protection.registry import CaseForm, Submission
from lantern.protection.safety import service as safety
from lantern.protection.safety.forms import PlacementForm, RiskForm


def _risk(s: Submission) -> None:
    d = s.data
    safety.assess_risk(
        s.user,
        s.case,
        immediate_needs=d["immediate_needs"],
        risk_to_child=d["risk_to_child"],
        risk_to_family=d["risk_to_family"],
        risk_to_helpers=d["risk_to_helpers"],
        family_involved=TRI[d["family_involved"]],
        notes=d["notes"],
        source=s.source,
    )


def _place(s: Submission) -> None:
    safety.place(s.user, s.case, int(s.data["place"] or 0), start=s.data["start"], source=s.source)


CASE_FORMS = (
    CaseForm("risk", RiskForm, "risk", _risk),
    CaseForm("place", PlacementForm, "placement", _place, with_user=True),
    CaseForm(
        "end_placement",
        forms.Form,
        "placement",
        lambda s: safety.end_placement(s.user, s.case, source=s.source),
    ),
)
