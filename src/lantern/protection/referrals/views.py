"""Referrals: the referral from the case page, and the referral as the receiving organisation
or the referring team sees it (only the shared fields), with its answer."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases.models import Level
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.fields import label_of, taxonomy_label
from lantern.errors import NotAllowed, ProtectionError
from lantern.protection import record
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.forms import AnswerForm, ReferralForm
from lantern.protection.referrals.models import ChildField, ConsentBasis, Referral, ReferralStatus
from lantern.protection.registry import CaseForm, Submission


def answer(user: Any, ref: Referral, action: Any, reason: str, source: str) -> None:
    """Accept or decline (with a reason), or complete (with a note) a referral."""
    if action == "complete":
        referrals.complete(user, ref, note=reason, source=source)
    else:
        referrals.respond(user, ref, accept=action == "accept", reason=reason, source=source)


def _refer(s: Submission) -> None:
    d = s.data
    referrals.create(
        s.user,
        s.case,
        organisation=int(d["organisation"]) if d["organisation"] else None,
        service=int(d["service"]) if d["service"] else None,
        services=d["services"],
        fields_shared=d["fields_shared"],
        consent_basis=d["consent_basis"],
        due_date=d["due_date"],
        override_reason=d["override_reason"],
        source=s.source,
    )


CASE_FORMS = (
    CaseForm("refer", ReferralForm, "referrals", _refer, with_user=True, with_case=True),
    CaseForm(
        "answer",
        AnswerForm,
        "referrals",
        lambda s: answer(s.user, s.row, s.post.get("action"), s.data["reason"], s.source),
        rows="referrals",
    ),
)


# The shared fields that hold codes, and the taxonomy list that names them for the reader.
CODED: dict[str, str] = {
    ChildField.GENDER: "genders",
    ChildField.CITIZENSHIP: "countries",
    ChildField.HOME_COUNTRY: "countries",
    ChildField.AGE_EVIDENCE: "age_evidence",
    ChildField.TRAFFICKING_STATUS: "trafficking_statuses",
    ChildField.FORMS_OF_EXPLOITATION: "exploitation_forms",
    ChildField.CARE_NEEDS: "support_types",
}


def shown(field: str, value: Any) -> Any:
    """A shared field's value as the receiving organisation reads it: codes by their labels
    in the reader's language, lists joined."""
    if field == ChildField.RISK_LEVEL:
        return label_of(Level, value) if value else value
    listed = CODED.get(field)
    if isinstance(value, list | tuple):
        return ", ".join(taxonomy_label(v, listed) if listed else str(v) for v in value)
    return taxonomy_label(value, listed) if listed else value


def labelled(r: dict[str, Any]) -> dict[str, Any]:
    """A referral's codes with their labels, for display."""
    r["status_label"] = label_of(ReferralStatus, r["status"])
    r["basis_label"] = label_of(ConsentBasis, r["consent_basis"])
    return r


@verified_required
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The referral packet (only the shared fields) and the answer: accept, decline, complete."""
    user: Any = request.user
    status = 200
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ref = policy.get_or_404(user, "referral", "view", referral_id)
        try:
            answer(
                user,
                ref,
                request.POST.get("action"),
                form.cleaned_data["reason"],
                request_source(request),
            )
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            return redirect("web:referral", referral_id)
    try:
        r = labelled(record.get_referral(user, referral_id, request_source(request)))
    except NotAllowed as exc:
        raise Http404 from exc
    shared = [(label_of(ChildField, k), shown(k, v)) for k, v in r["packet"]["child"].items()]
    return render(
        request,
        "web/protection/referral.html",
        {"r": r, "shared": shared, "form": form},
        status=status,
    )
