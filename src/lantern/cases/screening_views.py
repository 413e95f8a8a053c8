"""The screening page: a phone-sized checklist on a case, its explained result and history.

Server-rendered Django form (CSP allows no inline script). The view parses the form into the
``lantern screen`` input, calls one service, and renders; the rules and the policy decide.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lantern.audit.services import request_source
from lantern.cases import queries, screening_i18n, screening_services
from lantern.cases.models import ScreeningResult, TraffickingStatus
from lantern.cases.models.screening import Trafficking
from lantern.cases.screening_i18n import (
    DimensionResultLabel,
    LocalChecklistItem,
    ProfileLabel,
    ScreeningStatus,
)
from lantern.edges.decorators import verified_required
from lantern.edges.fields import TRI, TRI_CHOICES, label_of
from lantern.edges.language import reader_language
from lantern.screening import ScreeningInputError
from lantern.screening.vocabulary import PROFILES, Profile
from lantern.taxonomy import code_list

NONE = "none"
_CODE_GROUPS = {"acts": "palermo_acts", "purposes": "palermo_purposes", "means": "palermo_means"}
_AGE_FIELDS = {
    "age.years": "age_years",
    "age.basis": "age_basis",
    "age.reasons_to_believe_child": "reasons_to_believe_child",
    "age.documented_years": "documented_years",
}


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


class ScreeningForm(forms.Form):
    """Age, Palermo elements and the ILO/EC checklist; every answer may stay unknown."""

    age_years = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    age_basis = forms.ChoiceField(
        label=_("How is the age known?"),
        choices=[
            ("unknown", _("Not known")),
            ("documented", _("Documented (identity or birth paper)")),
            ("assessed", _("Assessed (age assessment)")),
            ("stated", _("Stated by the child or a companion")),
        ],
    )
    reasons_to_believe_child = forms.ChoiceField(
        label=_("Any reason to believe the person is under 18?"),
        choices=TRI_CHOICES,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    documented_years = forms.IntegerField(
        label=_("Age a document states, if different"),
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    acts = forms.MultipleChoiceField(
        label=_("What was done (act)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    purposes = forms.MultipleChoiceField(
        label=_("For what purpose (intended exploitation)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    means = forms.MultipleChoiceField(
        label=_("Means used (needed for adults only)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    knowingly_bought_entry = forms.ChoiceField(
        label=_("Did the person (or family) knowingly pay to cross a border?"),
        choices=TRI_CHOICES,
        widget=forms.RadioSelect,
        initial="unknown",
    )
    profile = forms.ChoiceField(
        label=_("Indicator list"),
        required=False,
        choices=[("", _("Automatic (from age and purposes)")), *ProfileLabel.choices],
    )

    def __init__(
        self, *args: Any, items: list[LocalChecklistItem], lang: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, list_name in _CODE_GROUPS.items():
            field = cast(forms.MultipleChoiceField, self.fields[name])
            field.choices = [*code_list(list_name).choices(lang), (NONE, _("None (established)"))]
        self.items = items
        for item in items:
            self.fields[self.indicator_field(item.indicator_id)] = forms.ChoiceField(
                label=item.label,
                help_text=item.help,
                choices=TRI_CHOICES,
                widget=forms.RadioSelect,
                initial="unknown",
            )

    @staticmethod
    def indicator_field(indicator_id: str) -> str:
        return "i_" + indicator_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in _CODE_GROUPS:
            if NONE in data.get(name, []) and len(data[name]) > 1:
                self.add_error(name, _("Tick either “None” or what was found, not both."))
        return data

    def dimensions(self) -> list[dict[str, Any]]:
        """The checklist grouped by dimension, each item with its bound field."""
        groups: dict[str, dict[str, Any]] = {}
        for item in self.items:
            group = groups.setdefault(
                item.dimension,
                {
                    "id": item.dimension,
                    "label": item.dimension_label,
                    "question": item.dimension_question,
                    "rows": [],
                    "yes": 0,
                },
            )
            bound = self[self.indicator_field(item.indicator_id)]
            group["rows"].append({"item": item, "field": bound})
            group["yes"] += bound.value() == "yes"
        return list(groups.values())

    def answers(self) -> dict[str, Any]:
        """The cleaned form as the ``lantern screen`` input (left out = unknown)."""
        d = self.cleaned_data
        age: dict[str, Any] = {"basis": d["age_basis"]}
        if d.get("age_years") is not None:
            age["years"] = d["age_years"]
        if d.get("documented_years") is not None:
            age["documented_years"] = d["documented_years"]
        if d["reasons_to_believe_child"] != "unknown":
            age["reasons_to_believe_child"] = TRI[d["reasons_to_believe_child"]]
        out: dict[str, Any] = {"age": age}
        for name in _CODE_GROUPS:
            if d.get(name):
                out[name] = [] if d[name] == [NONE] else sorted(d[name])
        if d.get("profile"):
            out["profile"] = d["profile"]
        if d["knowingly_bought_entry"] != "unknown":
            out["knowingly_bought_entry"] = TRI[d["knowingly_bought_entry"]]
        out["indicators"] = {
            i.indicator_id: d[self.indicator_field(i.indicator_id)] for i in self.items
        }
        return out


def _initial(answers: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from a screening input (the last screening or the case)."""
    age = answers.get("age") or {}
    initial: dict[str, Any] = {
        "age_years": age.get("years"),
        "age_basis": age.get("basis") or "unknown",
        "reasons_to_believe_child": _tri(age.get("reasons_to_believe_child")),
        "documented_years": age.get("documented_years"),
        "knowingly_bought_entry": _tri(answers.get("knowingly_bought_entry")),
        "profile": answers.get("profile") or "",
    }
    for name in _CODE_GROUPS:
        if answers.get(name) is not None:
            initial[name] = answers[name] or [NONE]
    for indicator_id, answer in (answers.get("indicators") or {}).items():
        initial[ScreeningForm.indicator_field(indicator_id)] = answer
    return initial


def _checklist_profile(profile: str, age: dict[str, Any], purposes: list[str]) -> Profile:
    """Which list to show: the one chosen, else child unless the age says adult (protective)."""
    if profile in PROFILES:
        return cast(Profile, profile)
    ages = [a for a in (age.get("years"), age.get("documented_years")) if a is not None]
    adult = bool(ages) and min(ages) >= 18 and age.get("reasons_to_believe_child") is not True
    form = "sexual" if "sexual_exploitation" in purposes else "labour"
    return cast(Profile, f"{'adult' if adult else 'child'}_{form}")


def _posted_age(data: Any) -> dict[str, Any]:
    age: dict[str, Any] = {
        "reasons_to_believe_child": data.get("reasons_to_believe_child") == "yes"
    }
    for key, name in (("years", "age_years"), ("documented_years", "documented_years")):
        raw = str(data.get(name) or "")
        if raw.isdigit():
            age[key] = int(raw)
    return age


def _form_field(form: ScreeningForm, field: str) -> str | None:
    """The form field a rules error names (``age.years`` -> ``age_years``), else the form."""
    name = _AGE_FIELDS.get(field) or field.replace("indicators.", "i_", 1)
    return name if name in form.fields else None


def _result_view(row: ScreeningResult, lang: str) -> dict[str, Any]:
    result = screening_i18n.localise(row.result, lang)
    labels = screening_i18n.texts()["dimensions"]
    return {
        "row": row,
        "result": result,
        "trafficking": label_of(Trafficking, row.trafficking),
        "status": label_of(ScreeningStatus, row.status),
        "status_change": [label_of(ScreeningStatus, s) for s in row.status_change.split("_to_")]
        if row.status_change
        else [],
        "trafficking_status": TraffickingStatus(row.trafficking_status).label,
        "dimensions": [
            {
                "id": d,
                "label": labels[d][lang]["label"],
                "result": label_of(DimensionResultLabel, v),
                "code": v,
            }
            for d, v in result["dimensions"].items()
        ],
    }


@verified_required
@require_http_methods(["GET", "POST"])
def case_screening(request: HttpRequest, case_id: int) -> HttpResponse:
    case = queries.get_case(request.user, case_id, "screen")
    rows = list(screening_services.screenings(request.user, case))
    lang = reader_language()
    base = rows[-1].input if rows else {"age": screening_services.case_age_answers(case)}
    if request.method == "POST":
        profile = _checklist_profile(
            str(request.POST.get("profile", "")),
            _posted_age(request.POST),
            request.POST.getlist("purposes"),
        )
    else:
        profile = _checklist_profile(
            str(base.get("profile") or ""), base.get("age") or {}, list(base.get("purposes") or [])
        )
    items = screening_i18n.local_checklist(profile, lang)
    form = ScreeningForm(request.POST or None, items=items, lang=lang, initial=_initial(base))
    if request.method == "POST" and form.is_valid():
        try:
            row = screening_services.screen_case(
                request.user, case, form.answers(), source=request_source(request)
            )
        except ScreeningInputError as exc:
            form.add_error(_form_field(form, exc.field), exc.message)
        else:
            url = reverse("web:case_screening", args=[case.pk])
            return redirect(f"{url}#result-{row.pk}")
    return render(
        request,
        "web/screening.html",
        {
            "case": case,
            "form": form,
            "profile": ProfileLabel(profile).label,
            "latest": _result_view(rows[-1], lang) if rows else None,
            "history": [_result_view(r, lang) for r in reversed(rows)],
        },
        status=400 if form.errors else 200,
    )
