"""The protection workflow's pages: new case per intake channel, the case's protection record,
referrals, family tracing, the user's work list and the team's caseload.

Server-rendered Django forms (CSP allows no inline script or style). Each view parses a form,
calls one service (``lantern.cases.services``) and renders; the services and the policy layer
decide. A refused or invalid form is shown again with what the user typed and the service's
own reason. The case page loads these sections with htmx; every action posts to one URL per
page, naming its form, so that a page works without JavaScript too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries, workflow
from lantern.cases.models import Case, Level, LifecycleState
from lantern.cases.services import consent
from lantern.errors import Invalid, NotAllowed, ProtectionError, Refused
from lantern.protection import record as pages
from lantern.protection import worklists
from lantern.protection.careplan import service as careplan
from lantern.protection.careplan.models import CarePlanStatus
from lantern.protection.followup import service as followup
from lantern.protection.intake import service as intake
from lantern.protection.legal import service as legal
from lantern.protection.referrals import service as referrals
from lantern.protection.referrals.models import ConsentBasis, Referral, ReferralStatus
from lantern.protection.safety import service as safety
from lantern.protection.safety.models import SafePlaceKind
from lantern.protection.tracing import service as tracing
from lantern.protection.tracing.models import FamilyDecision, TracingStatus
from lantern.taxonomy import code_list
from lantern.web.language import reader_language
from lantern.web.views import allowed, verified_required

# --- labels for the services' own codes (taxonomy codes use ``code_label`` in templates) -----

TRI_CHOICES = [("unknown", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]
TRI: dict[str, bool | None] = {"yes": True, "no": False, "unknown": None}
STATE_LABELS = dict(LifecycleState.choices)
LEVEL_LABELS = dict(Level.choices)
CONCERN_LABELS = {
    "unaccompanied": _("Unaccompanied"),
    "distressed_with_indifferent_adult": _("Distressed, with an indifferent adult"),
    "at_risk": _("At risk"),
    "suspected_trafficking": _("Suspected trafficking"),
    "possible_exploitation": _("Possible exploitation"),
}
SEVERITY_LABELS = {
    "monitor": _("Monitor"),
    "report": _("Report"),
    "intervene": _("Intervene"),
    "emergency": _("Emergency"),
}
RELATION_LABELS = {
    "mother": _("Mother"),
    "father": _("Father"),
    "sibling": _("Sibling"),
    "grandparent": _("Grandparent"),
    "aunt_uncle": _("Aunt or uncle"),
    "guardian": _("Guardian"),
    "other": _("Other relative"),
}
LEGAL_KIND_LABELS = {
    "investigation": _("Criminal investigation"),
    "prosecution": _("Prosecution"),
    "civil_claim": _("Civil claim (compensation)"),
    "immigration": _("Immigration"),
    "child_protection": _("Child protection proceeding"),
}
LEGAL_STATUS_LABELS = {
    "open": _("Open"),
    "hearing": _("In hearing"),
    "concluded": _("Concluded"),
    "withdrawn": _("Withdrawn"),
}
EVENT_KIND_LABELS = {
    "hearing": _("Hearing"),
    "interview": _("Interview"),
    "other_step": _("Other pre-legal step"),
}
ACCOMPANIED_CHOICES = [("yes", _("Yes")), ("no", _("No, the child was alone"))]
MEASURE_LABELS = {
    "video_recorded": _("Video-recorded testimony"),
    "support_person_present": _("Support person present"),
    "closed_hearing": _("Closed hearing"),
    "screen_or_separate_room": _("Screen or separate room"),
    "single_interview": _("Single interview"),
    "child_trained_interviewer": _("Interviewer trained to work with children"),
}
WELLBEING_LABELS = {
    "safety": _("Safety"),
    "health": _("Health"),
    "schooling_or_work": _("Schooling or work"),
    "family_relations": _("Family relations"),
    "emotional_wellbeing": _("Emotional wellbeing"),
}
SCORE_CHOICES = [
    ("", "—"),
    ("0", _("0 · very poor")),
    ("1", _("1 · poor")),
    ("2", _("2 · fair")),
    ("3", _("3 · fairly good")),
    ("4", _("4 · good")),
]
FIELD_LABELS = {
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "nickname": _("Nickname"),
    "birthdate": _("Date of birth"),
    "birth_year": _("Year of birth"),
    "identity_number": _("Identity number"),
    "contact": _("Contact"),
    "home_city": _("Home town"),
    "home_state": _("Home province"),
    "home_country": _("Home country"),
    "primary_language": _("Language"),
    "citizenship": _("Citizenship"),
    "gender": _("Sex"),
    "age": _("Age"),
    "age_evidence": _("Age evidence"),
    "trafficking_status": _("Trafficking status"),
    "forms_of_exploitation": _("Forms of exploitation"),
    "care_needs": _("Care needs (approved plan)"),
    "risk_level": _("Risk level"),
}
SHAREABLE_CHOICES = [(f, FIELD_LABELS[f]) for f in referrals.SHAREABLE]
PLAN_STATUS_LABELS = dict(CarePlanStatus.choices)
REFERRAL_STATUS_LABELS = dict(ReferralStatus.choices)
TRACING_STATUS_LABELS = dict(TracingStatus.choices)
DECISION_LABELS = dict(FamilyDecision.choices)
BASIS_LABELS = dict(ConsentBasis.choices)
PLACE_KIND_LABELS = dict(SafePlaceKind.choices)
TASK_LABELS = {
    "referral_overdue": _("Referral overdue"),
    "visit_overdue": _("Visit overdue"),
    "visit_due": _("Visit due"),
    "risk_assessment_missing": _("Risk assessment missing"),
    "no_activity": _("No activity"),
    "referral_to_answer": _("Referral to answer"),
    "plan_awaiting_approval": _("Care plan awaiting approval"),
    "child_detained_escalation": _("Child detained or charged"),
    "care_plan_goal_due": _("Care-plan goal due"),
    "care_plan_goal_overdue": _("Care-plan goal overdue"),
}
GIVER_CHOICES = [("child", _("The child (assent)")), ("guardian", _("A guardian (consent)"))]


def _codes(list_name: str, blank: bool = False) -> list[tuple[str, str]]:
    choices = code_list(list_name).choices(reader_language())
    return [("", "—"), *choices] if blank else choices


def _user(request: HttpRequest) -> Any:
    return request.user


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checks(label: Any, choices: Any = ()) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def _tri_field(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=TRI_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )


def _level(label: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=Level.choices, initial="unknown")


def _text(label: Any, *, area: bool = False, max_length: int = 500) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": 3}) if area else forms.TextInput()
    return forms.CharField(label=label, required=False, max_length=max_length, widget=widget)


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _directory(user: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *((str(o.pk), o.name) for o in pages.directory(user))]


def _show_error(form: forms.Form, exc: ProtectionError) -> None:
    """Attach a service's reason to the field it names (``child.age`` -> ``age``), else the
    form; the reason is shown as the service said it."""
    name = exc.field.removeprefix("child.").split(".")[0]
    form.add_error(name if name in form.fields else None, exc.reason)


def _status(exc: ProtectionError) -> int:
    return 403 if isinstance(exc, NotAllowed) else 409 if isinstance(exc, Refused) else 400


# --- new case: intake per channel -------------------------------------------------------------


class ChildForm(forms.Form):
    """What is known of the child; everything may stay blank (the service presumes a minor)."""

    given_name = _text(_("Given name"), max_length=200)
    family_name = _text(_("Family name"), max_length=200)
    nickname = _text(_("Nickname"), max_length=200)
    birthdate = forms.DateField(label=_("Date of birth"), required=False, widget=_date_input())
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    age_evidence = forms.ChoiceField(label=_("How is the age known?"), required=False)
    gender = forms.ChoiceField(label=_("Sex"), required=False)
    citizenship = forms.CharField(
        label=_("Citizenship (ISO 3166 alpha-3, e.g. NPL)"), required=False, max_length=3
    )
    identity_number = _text(_("Identity number"), max_length=100)
    primary_language = _text(_("Language"), max_length=40)
    home_country = forms.CharField(label=_("Home country (ISO3)"), required=False, max_length=3)

    CHILD_FIELDS: tuple[str, ...] = (
        "given_name",
        "family_name",
        "nickname",
        "birthdate",
        "age",
        "age_evidence",
        "gender",
        "citizenship",
        "identity_number",
        "primary_language",
        "home_country",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ChildForm.CHILD_FIELDS:
            if name not in self.CHILD_FIELDS:
                del self.fields[name]
        if "age_evidence" in self.fields:
            _set_choices(self, "age_evidence", _codes("age_evidence", blank=True))
        if "gender" in self.fields:
            _set_choices(self, "gender", _codes("genders", blank=True))

    def child(self) -> intake.Child:
        d = self.cleaned_data
        citizenship = (d.get("citizenship") or "").strip().upper()
        return intake.Child(
            given_name=d.get("given_name", ""),
            family_name=d.get("family_name", ""),
            nickname=d.get("nickname", ""),
            birthdate=d.get("birthdate"),
            age=d.get("age"),
            age_evidence=d.get("age_evidence", ""),
            gender=d.get("gender", ""),
            citizenship=(citizenship,) if citizenship else (),
            identity_number=d.get("identity_number", ""),
            primary_language=d.get("primary_language", ""),
            home_country=(d.get("home_country") or "").strip().upper(),
        )

    def child_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.CHILD_FIELDS]

    def intake_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n not in self.CHILD_FIELDS]

    def service_kwargs(self) -> dict[str, Any]:
        return {}


class TransitForm(ChildForm):
    place = _text(_("Port or station"), max_length=200)
    expected_contact = _text(_("Who was expected to meet the child (relation)"), max_length=40)
    met_by_expected_contact = forms.ChoiceField(
        label=_("Was the child met by the expected family or contact?"),
        choices=[("yes", _("Yes")), ("no", _("No, not met"))],
        widget=forms.RadioSelect,
    )
    return_passage_offered = _tri_field(_("Was a return passage home offered?"))
    return_passage_provider = _text(_("Who provides the return passage"))
    rights_information_given = _tri_field(_("Was the child told about their rights?"))

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "place": d["place"],
            "expected_contact": d["expected_contact"],
            "met_by_expected_contact": d["met_by_expected_contact"] == "yes",
            "return_passage_offered": TRI[d["return_passage_offered"]],
            "return_passage_provider": d["return_passage_provider"],
            "rights_information_given": TRI[d["rights_information_given"]],
        }


class HotlineForm(ChildForm):
    concerns = _checks(_("What worried the caller"), list(CONCERN_LABELS.items()))
    severity = forms.ChoiceField(label=_("How grave is it"), choices=list(SEVERITY_LABELS.items()))
    place = _text(_("Where (district, place)"), max_length=200)
    notes = _text(_("Notes"), area=True, max_length=4000)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("concerns", "severity", "place", "notes")}


class RescueForm(ChildForm):
    rescuing_unit = _text(_("Rescuing unit"), max_length=200)
    handed_over_to = forms.ChoiceField(label=_("Handed over to"), required=False)
    place = _text(_("Where"), max_length=200)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "handed_over_to", _directory(user))

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "rescuing_unit": d["rescuing_unit"],
            "handed_over_to": int(d["handed_over_to"] or 0),
            "place": d["place"],
        }


class ReferralIntakeForm(ChildForm):
    referring_organisation = _text(_("Referring organisation"), max_length=200)
    referral_reason = _text(_("Reason for the referral"))

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("referring_organisation", "referral_reason")}


class SelfReferralForm(ChildForm):
    place = _text(_("Where the child came to"), max_length=200)
    notes = _text(_("Notes"), area=True, max_length=4000)

    def service_kwargs(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("place", "notes")}


class CommunityReportForm(ChildForm):
    """The minimal form: what a bus conductor or a neighbour can tell in a minute."""

    CHILD_FIELDS = ("given_name", "nickname", "age", "gender")
    place = _text(_("Where did you see the child"), max_length=200)
    concerns = _checks(_("What worried you"), list(CONCERN_LABELS.items()))
    severity = forms.ChoiceField(label=_("How urgent"), choices=list(SEVERITY_LABELS.items()))
    reporter_name = _text(_("Your name (optional; only supervisors see it)"), max_length=200)
    reporter_contact = _text(_("Your phone (optional)"), max_length=200)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        keys = ("place", "concerns", "severity", "reporter_name", "reporter_contact")
        return {k: d[k] for k in keys}


@dataclass(frozen=True)
class Channel:
    form: type[ChildForm]
    service: Callable[..., Case]
    label: Any
    hint: Any


CHANNELS: dict[str, Channel] = {
    "transit_reception": Channel(
        TransitForm,
        intake.transit_reception,
        _("Port or station reception"),
        _("An unaccompanied child met at a port, bus or train station."),
    ),
    "hotline": Channel(
        HotlineForm, intake.hotline_call, _("Hotline call"), _("A call about a child at risk.")
    ),
    "rescue": Channel(
        RescueForm,
        intake.police_rescue,
        _("Police rescue handover"),
        _("A child rescued by law enforcement and handed over to services."),
    ),
    "referral": Channel(
        ReferralIntakeForm,
        intake.agency_referral,
        _("Referral from another agency"),
        _("A child referred in by another organisation."),
    ),
    "self_referral": Channel(
        SelfReferralForm,
        intake.self_referral,
        _("Self-referral"),
        _("A child who came for help on their own."),
    ),
    "community_report": Channel(
        CommunityReportForm,
        intake.community_report,
        _("Community report"),
        _("A short report by a community or transport worker."),
    ),
}


def _channels_for(user: Any) -> list[str]:
    """Which intake forms to offer (convenience: the service checks again)."""
    if policy.allows(user, "case", "create"):
        return list(CHANNELS)
    if policy.allows(user, "report", "submit"):
        return ["community_report"]
    return []


@verified_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """Choose the intake channel, then fill that channel's form; search before create."""
    allowed = _channels_for(_user(request))
    if not allowed:
        raise Http404
    channel = str(request.POST.get("channel") or request.GET.get("channel") or "")
    if not channel:
        options = [(c, CHANNELS[c]) for c in allowed]
        return render(request, "web/protection/intake_choose.html", {"options": options})
    if channel not in allowed:
        raise Http404
    form = CHANNELS[channel].form(request.POST or None, user=_user(request))
    context: dict[str, Any] = {"channel": channel, "info": CHANNELS[channel], "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        child = form.child()
        try:
            case = CHANNELS[channel].service(
                _user(request),
                child,
                confirm_new=request.POST.get("confirm_new") == "1",
                source=request_source(request),
                **form.service_kwargs(),
            )
        except intake.PossibleDuplicates as exc:
            context["matches"] = [
                {"match": m, "rows": _compared(pages.compare(child, m))} for m in exc.matches
            ]
            context["duplicates_reason"] = exc.reason
            status = 409
        except ProtectionError as exc:
            _show_error(form, exc)
        else:
            if policy.case_allows(_user(request), "view", case):
                return redirect("web:case_detail", case.pk)
            return render(request, "web/protection/intake_received.html", {"case": case})
    if form.errors:
        status = 400
    return render(request, "web/protection/intake_form.html", context, status=status)


def _compared(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "label": FIELD_LABELS.get(r["field"], r["field"])} for r in rows]


# --- the case's protection record --------------------------------------------------------------


class TransitionForm(forms.Form):
    reason = _text(_("Reason for the change"))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    reason = _text(_("Reason"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "outcome", _codes("case_outcomes", blank=True))


class RiskForm(forms.Form):
    immediate_needs = _checks(_("Immediate needs"))
    risk_to_child = _level(_("Risk to the child"))
    risk_to_family = _level(_("Risk to the family"))
    risk_to_helpers = _level(_("Risk to helpers and staff"))
    family_involved = _tri_field(_("Was the family involved in the trafficking?"))
    notes = _text(_("Notes"), area=True, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "immediate_needs", _codes("support_types"))


class PlacementForm(forms.Form):
    place = forms.ChoiceField(label=_("Shelter or safe room"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=_date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        places = pages.safe_places_for(user)
        _set_choices(self, "place", [("", "—"), *((str(p.pk), p.name) for p in places)])


class ConsentForm(forms.Form):
    item = forms.ChoiceField(label=_("Consent to"))
    given_by = forms.ChoiceField(label=_("Given by"), choices=GIVER_CHOICES)
    value = forms.ChoiceField(
        label=_("Answer"), choices=TRI_CHOICES, widget=forms.RadioSelect, initial="unknown"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "item", _codes("consent_items"))


class CarePlanForm(forms.Form):
    """Needs (each with an optional due date), goals in the child's words, who is responsible."""

    needs = _checks(_("Needs"))
    goals = _text(_("Goals"), area=True, max_length=8000)
    child_views = _text(_("The child's views"), area=True, max_length=4000)
    responsible = forms.ChoiceField(label=_("Responsible organisation"), required=False)
    review_due = forms.DateField(label=_("Review due"), required=False, widget=_date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = _codes("support_types")
        _set_choices(self, "needs", needs)
        _set_choices(self, "responsible", _directory(user))
        for code, label in needs:
            self.fields["due_" + code] = forms.DateField(
                label=label, required=False, widget=_date_input()
            )

    def need_rows(self) -> list[tuple[Any, forms.BoundField]]:
        """Each need's checkbox beside its due date, one row per need (thumb-sized)."""
        return [(box, self["due_" + box.data["value"]]) for box in self["needs"]]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        due = {n: d["due_" + n] for n in d["needs"] if d.get("due_" + n)}
        return {
            "needs": d["needs"],
            "goals": d["goals"],
            "child_views": d["child_views"],
            "responsible": int(d["responsible"]) if d["responsible"] else None,
            "due_dates": due,
            "review_due": d["review_due"],
        }


class ReferralForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Refer to"), required=False)
    services = _checks(_("Services requested"))
    fields_shared = _checks(
        _("What the organisation may see (minimum necessary)"), SHAREABLE_CHOICES
    )
    consent_basis = forms.ChoiceField(label=_("Consent basis"), choices=ConsentBasis.choices)
    override_reason = _text(_("Reason for an override (supervisors)"))
    due_date = forms.DateField(label=_("Answer due by"), widget=_date_input())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "organisation", _directory(user))
        _set_choices(self, "services", _codes("support_types"))


class AnswerForm(forms.Form):
    """Accept, decline (with a reason) or complete (with a note) a referral."""

    reason = _text(_("Reason or note"))


class FamilyForm(forms.Form):
    safe = _tri_field(_("Is the family safe for the child?"))
    family_rejects_child = _tri_field(_("Does the family reject the child?"))
    family_involved = _tri_field(_("Was the family involved in the trafficking?"))
    retrafficking_risk = _level(_("Re-trafficking risk"))
    decision = forms.ChoiceField(label=_("Decision"), choices=FamilyDecision.choices)
    findings = _text(_("Findings"), area=True, max_length=8000)


class LegalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Proceeding"), choices=list(LEGAL_KIND_LABELS.items()))
    lawyer_name = _text(_("The child's lawyer"), max_length=200)
    accompaniment = _text(_("Who accompanies the child (name or role)"), max_length=200)
    testimony_measures = _checks(
        _("Child-friendly testimony measures"), list(MEASURE_LABELS.items())
    )
    non_punishment_invoked = forms.BooleanField(
        label=_("Non-punishment principle invoked"), required=False
    )
    notes = _text(_("Notes"), area=True, max_length=8000)


class LegalUpdateForm(forms.Form):
    """Hearings and interviews are logged with their own form (``ProceedingEventForm``)."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *LEGAL_STATUS_LABELS.items()]
    )
    accompaniment = _text(_("Who accompanies the child (name or role)"), max_length=200)
    child_detained_or_charged = _tri_field(_("Is the child detained or charged?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompaniment"].help_text = _("Leave blank to keep the current assignment.")

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "status": d["status"] or None,
            "accompaniment": d["accompaniment"] or None,
            "child_detained_or_charged": TRI[d["child_detained_or_charged"]],
        }


class ProceedingEventForm(forms.Form):
    """A hearing, interview or other step that took place, and who stood by the child."""

    kind = forms.ChoiceField(label=_("Step"), choices=list(EVENT_KIND_LABELS.items()))
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    held_at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = _text(_("Court or office"), max_length=200)
    accompanied = forms.ChoiceField(
        label=_("Was the child accompanied?"), choices=ACCOMPANIED_CHOICES, widget=forms.RadioSelect
    )
    accompanied_by = _text(_("Accompanied by (name or role)"), max_length=200)
    testimony_measures = _checks(_("Testimony measures used"), list(MEASURE_LABELS.items()))
    outcome = _text(_("Outcome or notes"), area=True, max_length=8000)

    def service_kwargs(self) -> dict[str, Any]:
        return {**self.cleaned_data, "accompanied": self.cleaned_data["accompanied"] == "yes"}


class WellbeingForm(forms.Form):
    """The five-item instrument, 0 (very poor) to 4 (good); blanks are the service's error."""

    notes = _text(_("Notes"), area=True, max_length=4000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item, label in WELLBEING_LABELS.items():
            self.fields["wb_" + item] = forms.ChoiceField(
                label=label, choices=SCORE_CHOICES, required=False
            )

    def scores(self) -> dict[str, int]:
        d = self.cleaned_data
        return {i: int(d["wb_" + i]) for i in WELLBEING_LABELS if d.get("wb_" + i)}

    def score_fields(self) -> list[forms.BoundField]:
        return [self["wb_" + i] for i in WELLBEING_LABELS]


class VisitForm(WellbeingForm):
    retrafficking_risk = _level(_("Re-trafficking risk"))


class ScheduleForm(forms.Form):
    scheduled_for = forms.DateField(label=_("Visit on"), widget=_date_input())


# form name -> (class, section anchor, whether its choices depend on the user)
FORMS: dict[str, tuple[type[forms.Form], str, bool]] = {
    "move": (TransitionForm, "lifecycle", False),
    "close": (CloseForm, "close", False),
    "risk": (RiskForm, "risk", False),
    "place": (PlacementForm, "placement", True),
    "end_placement": (forms.Form, "placement", False),
    "consent": (ConsentForm, "consent", False),
    "plan": (CarePlanForm, "care-plan", True),
    "plan_action": (forms.Form, "care-plan", False),
    "refer": (ReferralForm, "referrals", True),
    "answer": (AnswerForm, "referrals", False),
    "family": (FamilyForm, "family", False),
    "legal": (LegalForm, "legal", False),
    "legal_update": (LegalUpdateForm, "legal", False),
    "legal_event": (ProceedingEventForm, "legal", False),
    "baseline": (WellbeingForm, "follow-up", False),
    "schedule": (ScheduleForm, "follow-up", False),
    "visit": (VisitForm, "follow-up", False),
}
ROW_FORMS = ("plan_action", "answer", "legal_update", "legal_event", "visit")


def _form(name: str, user: Any, data: Any = None, row: str = "") -> forms.Form:
    cls, _section, with_user = FORMS[name]
    prefix = f"{name}{row}"
    if with_user:
        return cls(data, prefix=prefix, user=user)  # type: ignore[call-arg]
    return cls(data, prefix=prefix)


def _row(case: Case, name: str, pk: str) -> Any:
    """The case's own record a row form names (plans, referrals, visits, proceedings)."""
    related: dict[str, Any] = {
        "plan_action": case.care_plans,
        "answer": case.referrals,
        "legal_update": case.legal_proceedings,
        "legal_event": case.legal_proceedings,
        "visit": case.visits,
    }
    rel = related[name]
    row = rel.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 19 else None
    if row is None:
        raise Invalid(f"{name}: no such record on this case")
    return row


def _act(request: HttpRequest, case: Case, name: str, form: forms.Form, row: str) -> None:
    """Call the one service the named form stands for; its errors propagate to the page."""
    user, src, d, post = _user(request), request_source(request), form.cleaned_data, request.POST
    if name == "move":
        workflow.transition(user, case, str(post.get("to", "")), d["reason"], src)
    elif name == "close":
        workflow.close(user, case, d["outcome"], d["reason"], src)
    elif name == "risk":
        safety.assess_risk(
            user,
            case,
            immediate_needs=d["immediate_needs"],
            risk_to_child=d["risk_to_child"],
            risk_to_family=d["risk_to_family"],
            risk_to_helpers=d["risk_to_helpers"],
            family_involved=TRI[d["family_involved"]],
            notes=d["notes"],
            source=src,
        )
    elif name == "place":
        safety.place(user, case, int(d["place"] or 0), start=d["start"], source=src)
    elif name == "end_placement":
        safety.end_placement(user, case, source=src)
    elif name == "consent":
        consent.record(
            user, case, item=d["item"], value=TRI[d["value"]], given_by=d["given_by"], source=src
        )
    elif name == "plan":
        assert isinstance(form, CarePlanForm)
        careplan.draft(user, case, source=src, **form.service_kwargs())
    elif name == "plan_action":
        plan, action = _row(case, name, row), post.get("action")
        if action == "approve":
            careplan.approve(user, plan, src)
        elif action == "revise":
            careplan.revise(user, plan, src)
        else:
            careplan.submit(user, plan, src)
    elif name == "answer":
        _answer(request, _row(case, name, row), d["reason"])
    elif name == "refer":
        referrals.create(
            user,
            case,
            organisation=int(d["organisation"] or 0),
            services=d["services"],
            fields_shared=d["fields_shared"],
            consent_basis=d["consent_basis"],
            due_date=d["due_date"],
            override_reason=d["override_reason"],
            source=src,
        )
    elif name == "family":
        tracing.assess_family(
            user,
            case,
            safe=TRI[d["safe"]],
            family_rejects_child=TRI[d["family_rejects_child"]],
            family_involved=TRI[d["family_involved"]],
            retrafficking_risk=d["retrafficking_risk"],
            decision=d["decision"],
            findings=d["findings"],
            source=src,
        )
    elif name == "legal":
        legal.open_proceeding(user, case, source=src, **d)
    elif name == "legal_update":
        assert isinstance(form, LegalUpdateForm)
        legal.update_proceeding(user, _row(case, name, row), source=src, **form.service_kwargs())
    elif name == "legal_event":
        assert isinstance(form, ProceedingEventForm)
        legal.record_event(user, _row(case, name, row), source=src, **form.service_kwargs())
    elif name == "baseline":
        assert isinstance(form, WellbeingForm)
        followup.record_baseline(user, case, wellbeing=form.scores(), notes=d["notes"], source=src)
    elif name == "schedule":
        followup.schedule(user, case, on=d["scheduled_for"], source=src)
    elif name == "visit":
        assert isinstance(form, VisitForm)
        followup.record_visit(
            user,
            _row(case, name, row),
            wellbeing=form.scores(),
            retrafficking_risk=d["retrafficking_risk"],
            notes=d["notes"],
            source=src,
        )


def _answer(request: HttpRequest, ref: Referral, reason: str) -> None:
    action, src = request.POST.get("action"), request_source(request)
    if action == "complete":
        referrals.complete(_user(request), ref, note=reason, source=src)
    else:
        referrals.respond(_user(request), ref, accept=action == "accept", reason=reason, source=src)


def _labelled(p: dict[str, Any]) -> dict[str, Any]:
    """The services' own codes with their labels, for display (taxonomy codes stay codes)."""
    p["state_label"] = STATE_LABELS.get(p["state"], p["state"])
    for n in p["next"]:
        n["label"] = STATE_LABELS.get(n["state"], n["state"])
    for t in p["transitions"]:
        t["from_label"] = STATE_LABELS.get(t["from"], t["from"])
        t["to_label"] = STATE_LABELS.get(t["to"], t["to"])
    for r in p["risks"]:
        for k in ("risk_to_child", "risk_to_family", "risk_to_helpers", "level"):
            r[k + "_label"] = LEVEL_LABELS.get(r[k], r[k])
    for pl in p["placements"]:
        kind = pl["place"]["kind"]
        pl["place"]["kind_label"] = PLACE_KIND_LABELS.get(kind, kind)
    for c in p["consents"]:
        c["giver_label"] = dict(GIVER_CHOICES).get(c["given_by"], c["given_by"])
    for plan in p["care_plans"]:
        plan["status_label"] = PLAN_STATUS_LABELS.get(plan["status"], plan["status"])
    for r in p["referrals"]:
        r["status_label"] = REFERRAL_STATUS_LABELS.get(r["status"], r["status"])
        r["basis_label"] = BASIS_LABELS.get(r["consent_basis"], r["consent_basis"])
        r["fields_labels"] = [FIELD_LABELS.get(f, f) for f in r["fields_shared"]]
    for f in p["families"]:
        f["decision_label"] = DECISION_LABELS.get(f["decision"], f["decision"])
        f["risk_label"] = LEVEL_LABELS.get(f["retrafficking_risk"], f["retrafficking_risk"])
    for lp in p["legal"]:
        lp["kind_label"] = LEGAL_KIND_LABELS.get(lp["kind"], lp["kind"])
        lp["status_label"] = LEGAL_STATUS_LABELS.get(lp["status"], lp["status"])
        lp["measure_labels"] = [MEASURE_LABELS.get(m, m) for m in lp["testimony_measures"]]
        for e in lp["events"]:
            e["kind_label"] = EVENT_KIND_LABELS.get(e["kind"], e["kind"])
            e["measure_labels"] = [MEASURE_LABELS.get(m, m) for m in e["testimony_measures"]]
    for t in p["tracing"]:
        t["relation_label"] = RELATION_LABELS.get(t["relation"], t["relation"])
        t["status_label"] = TRACING_STATUS_LABELS.get(t["status"], t["status"])
    i = p["intake"]
    i["concern_labels"] = [CONCERN_LABELS.get(c, c) for c in i.get("concerns") or []]
    i["severity_label"] = SEVERITY_LABELS.get(i.get("severity") or "", i.get("severity"))
    for row in p["wellbeing"]["rows"]:
        row["label"] = WELLBEING_LABELS.get(row["item"], row["item"])
    for v in p["wellbeing"]["visits"]:
        v["risk_label"] = LEVEL_LABELS.get(v["retrafficking_risk"], v["retrafficking_risk"])
    return p


def _protection_context(
    request: HttpRequest, case: Case, bound: tuple[str, str, forms.Form] | None = None
) -> dict[str, Any]:
    user = _user(request)
    p = _labelled(pages.case_protection(user, case, request_source(request)))
    forms_: dict[str, Any] = {n: _form(n, user) for n in FORMS if n not in ROW_FORMS}
    row_forms: dict[tuple[str, str], forms.Form] = {}
    if bound is not None:
        name, row, form = bound
        if name in ROW_FORMS:
            row_forms[(name, row)] = form
        else:
            forms_[name] = form

    def row_form(name: str, pk: int) -> forms.Form:
        return row_forms.get((name, str(pk))) or _form(name, user, row=str(pk))

    for plan in p["care_plans"]:
        plan["form"] = row_form("plan_action", plan["id"])
    for r in p["referrals"]:
        r["form"] = row_form("answer", r["id"])
    for lp in p["legal"]:
        lp["form"] = row_form("legal_update", lp["id"])
        lp["event_form"] = row_form("legal_event", lp["id"])
    p["visit_forms"] = [(v, row_form("visit", v.pk)) for v in p["due_visits"]]
    return {
        "case": case,
        "p": p,
        "f": forms_,
        "can_protect": policy.case_allows(user, "protect", case),
        "can_move": policy.case_allows(user, "transition", case),
        "can_refer": policy.case_allows(user, "refer", case),
        "may_approve": policy.allows(user, "care_plan", "approve"),
        "may_trace": policy.allows(user, "tracing", "manage"),
    }


@verified_required
@require_http_methods(["GET", "POST"])
def case_protection(request: HttpRequest, case_id: int) -> HttpResponse:
    """GET: the protection sections (a fragment for htmx, else a page). POST: one named
    form -> one service call -> back to the case page, or the page again with the reason."""
    case = queries.get_case(_user(request), case_id, "view")
    if request.method == "GET":
        template = (
            "web/protection/_sections.html"
            if request.headers.get("HX-Request")
            else "web/protection/case.html"
        )
        return render(request, template, _protection_context(request, case))
    name = str(request.POST.get("form", ""))
    row = str(request.POST.get("row", ""))
    if name not in FORMS:
        raise Http404
    form = _form(name, _user(request), request.POST, row)
    status = 400
    if form.is_valid():
        try:
            _act(request, case, name, form, row)
        except ProtectionError as exc:
            _show_error(form, exc)
            status = _status(exc)
        else:
            return redirect(reverse("web:case_detail", args=[case.pk]) + "#" + FORMS[name][1])
    context = _protection_context(request, case, (name, row, form))
    context["error_section"], context["error_form"] = FORMS[name][1], form
    return render(request, "web/protection/case.html", context, status=status)


# --- a referral, as the receiving organisation or the referring team sees it -----------------


@verified_required
@require_http_methods(["GET", "POST"])
def referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The referral packet (only the shared fields) and the answer: accept, decline, complete."""
    status = 200
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ref = policy.get_or_404(_user(request), "referral", "view", referral_id)
        try:
            _answer(request, ref, form.cleaned_data["reason"])
        except ProtectionError as exc:
            _show_error(form, exc)
            status = _status(exc)
        else:
            return redirect("web:referral", referral_id)
    try:
        r = pages.get_referral(_user(request), referral_id, request_source(request))
    except NotAllowed as exc:
        raise Http404 from exc
    r["status_label"] = REFERRAL_STATUS_LABELS.get(r["status"], r["status"])
    r["basis_label"] = BASIS_LABELS.get(r["consent_basis"], r["consent_basis"])
    shared = [(FIELD_LABELS.get(k, k), v) for k, v in r["packet"]["child"].items()]
    return render(
        request,
        "web/protection/referral.html",
        {"r": r, "shared": shared, "form": form},
        status=status,
    )


# --- family tracing ---------------------------------------------------------------------------


class TracingForm(forms.Form):
    requester_relation = forms.ChoiceField(
        label=_("Who is looking"), choices=list(RELATION_LABELS.items())
    )
    requester_name = _text(_("Their name"), max_length=200)
    requester_contact = _text(_("Their contact"), max_length=200)
    sought_given_name = _text(_("Given name of the child sought"), max_length=200)
    sought_family_name = _text(_("Family name of the child sought"), max_length=200)
    sought_birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sought_home = _text(_("Home village or district"), max_length=200)


class DecideForm(forms.Form):
    reason = _text(_("Why (what identified or excluded the child)"))


@allowed("tracing", "manage")
@require_http_methods(["GET", "POST"])
def tracing_list(request: HttpRequest) -> HttpResponse:
    """The agency's tracing requests, and a relative's new request."""
    form = TracingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = tracing.create_request(
                _user(request), source=request_source(request), **form.cleaned_data
            )
        except ProtectionError as exc:
            _show_error(form, exc)
        else:
            return redirect("web:tracing_request", req.pk)
    rows = [
        {
            "req": r,
            "relation": RELATION_LABELS.get(r.requester_relation, r.requester_relation),
            "status": TRACING_STATUS_LABELS.get(r.status, r.status),
        }
        for r in pages.tracing_requests(_user(request))
    ]
    return render(
        request,
        "web/protection/tracing_list.html",
        {"rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


@allowed("tracing", "manage")
@require_http_methods(["GET", "POST"])
def tracing_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request beside each consenting candidate, field by field; confirm or reject."""
    form, status = DecideForm(request.POST or None), 200
    decided = str(request.POST.get("case_id", ""))
    if request.method == "POST" and form.is_valid():
        try:
            tracing.decide(
                _user(request),
                tracing.get_request(_user(request), request_id),
                int(decided) if decided.isdigit() else 0,
                confirm=request.POST.get("action") == "confirm",
                reason=form.cleaned_data["reason"],
                source=request_source(request),
            )
        except ProtectionError as exc:
            _show_error(form, exc)
            status = _status(exc)
        else:
            return redirect("web:tracing_request", request_id)
    elif request.method == "POST":
        status = 400
    data = pages.tracing_page(_user(request), request_id, request_source(request))
    req = data["request"]
    for c in data["candidates"]:
        c["form"] = form if str(c["case_id"]) == decided else DecideForm()
        c["rows"] = [
            (FIELD_LABELS[k], c["request"][k], c["child"][k], c["agreement"][k])
            for k in ("given_name", "family_name", "birth_year")
        ] + [(_("Home"), c["request"]["home"], c["child"]["home"], None)]
    return render(
        request,
        "web/protection/tracing_request.html",
        {
            "req": req,
            "relation": RELATION_LABELS.get(req.requester_relation, req.requester_relation),
            "status_label": TRACING_STATUS_LABELS.get(req.status, req.status),
            "candidates": data["candidates"],
            "form": form,
        },
        status=status,
    )


# --- work lists ---------------------------------------------------------------------------------


@verified_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The user's tasks, derived from their cases (nothing is stored, so nothing goes stale)."""
    try:
        tasks = worklists.my_tasks(_user(request))
    except NotAllowed as exc:
        raise Http404 from exc
    rows = [{**t.to_dict(), "label": TASK_LABELS.get(t.kind, t.kind)} for t in tasks]
    return render(
        request,
        "web/protection/my_work.html",
        {"tasks": rows, "incoming": pages.incoming_referrals(_user(request))},
    )


@verified_required
def team_caseload(request: HttpRequest) -> HttpResponse:
    """Open cases per caseworker and state, with what is overdue (supervisors)."""
    try:
        load = worklists.team_caseload(_user(request))
    except NotAllowed as exc:
        raise Http404 from exc
    states = [s for s in LifecycleState.values if s != LifecycleState.CLOSED]
    rows = [
        {**r, "states": [(STATE_LABELS[s], r["by_state"].get(s, 0)) for s in states]}
        for r in load["caseworkers"]
    ]
    return render(
        request,
        "web/protection/caseload.html",
        {"load": load, "rows": rows, "states": [STATE_LABELS[s] for s in states]},
    )
