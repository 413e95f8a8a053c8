"""The estimate form: what an analyst may choose, bounded so one request cannot hog the server."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.estimation import METHODS, RECOMMENDED
from lantern.estimation.api import BAYESIAN
from lantern.monitoring.estimates import POPULATIONS, STRATA

METHOD_LABELS = {
    RECOMMENDED: _(
        "Recommended: model averaging; beyond 5 lists the smallest are merged first "
        "(measured best on simulated countries)"
    ),
    "dga": _("Model averaging over list dependences (Madigan and York, R's dga)"),
    "lcmcr": _("Latent classes: some children harder to find (R's LCMCR)"),
    "stepwise": _("Stepwise (SparseMSE, p < 0.02)"),
    "main": _("Main effects (lists independent)"),
    "bic": _("Minimum BIC over hierarchical models"),
    "aic": _("Minimum AIC over hierarchical models"),
    "aic-stepwise": _("AIC stepwise (Home Office 2014)"),
}

POPULATION_LABELS = {
    "children": _("Children screened possible or actual victims"),
    "all": _("Everyone in the records, adults and not victims included"),
}

# The strata an analyst may estimate by, in the reader's words (the codes are the mart's columns).
STRATUM_LABELS = {
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "form": _("Form of exploitation"),
    "citizenship": _("Citizenship"),
}

#: Replicates one page view may ask for. Each refits the model (and redoes its choice), so 1,000
#: held a server worker for minutes; longer runs belong to ``lantern estimate --bootstrap N``.
PAGE_BOOTSTRAP_MAX = 200
#: Methods that search every hierarchical model: one fit takes about a minute on the demo's six
#: lists (53 s measured), so a page view runs them once, for the whole population, never per
#: stratum or per replicate (aic by form with 200 replicates held a worker over 13 minutes).
CATALOGUE_METHODS = frozenset({"aic", "bic"})
#: lcmcr's sampler runs about ten seconds a table: on a page, once, never per stratum.
SLOW_METHODS = frozenset({"lcmcr"})


class EstimateForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(m, METHOD_LABELS[m]) for m in (RECOMMENDED, *METHODS) if m in METHOD_LABELS],
        initial=RECOMMENDED,
        required=False,
    )
    population = forms.ChoiceField(
        label=_("Who is counted"),
        choices=[(p, POPULATION_LABELS[p]) for p in POPULATIONS],
        initial="children",
        required=False,
    )
    stratify_by = forms.ChoiceField(
        label=_("Estimate separately by"),
        required=False,
        choices=[("", _("No strata")), *[(s, STRATUM_LABELS[s]) for s in STRATA]],
    )
    bootstrap = forms.IntegerField(
        label=_("Bootstrap replicates (0 = model-conditional interval)"),
        min_value=0,
        max_value=PAGE_BOOTSTRAP_MAX,
        initial=0,
        required=False,
        error_messages={
            "max_value": _(
                "At most %(limit_value)s bootstrap replicates on this page; for more, run "
                "lantern estimate --bootstrap N from the command line."
            )
        },
    )
    level = forms.ChoiceField(
        label=_("Interval level"), choices=[("0.95", "95%"), ("0.8", "80%")], initial="0.95"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        data["method"] = data.get("method") or RECOMMENDED
        data["population"] = data.get("population") or "children"
        if data.get("bootstrap") and data["method"] in {RECOMMENDED, *BAYESIAN}:
            self.add_error(
                "bootstrap",
                _(
                    "This method gives its own interval from the posterior; bootstrap "
                    "replicates go with the log-linear methods (stepwise, main, AIC, BIC)."
                ),
            )
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The period ends before it starts."))
        # Work a page view may ask for: replicates multiply with strata, and a whole-catalogue
        # search multiplies with both. Heavier runs belong to the command line.
        cli = "lantern estimate --bootstrap N"
        if data.get("bootstrap") and data.get("stratify_by"):
            self.add_error(
                "bootstrap",
                _("Bootstrap intervals by stratum are too long for a page; run %(cli)s.")
                % {"cli": cli},
            )
        elif data.get("method") in SLOW_METHODS and data.get("stratify_by"):
            self.add_error(
                "method",
                _(
                    "This method samples for several seconds a table; on a page it runs once, "
                    "without strata. Run %(cli)s for more."
                )
                % {"cli": "lantern estimate --method lcmcr"},
            )
        elif data.get("method") in CATALOGUE_METHODS and (
            data.get("bootstrap") or data.get("stratify_by")
        ):
            self.add_error(
                "method",
                _(
                    "This method searches every model; on a page it runs once, without strata "
                    "or bootstrap. Run %(cli)s for more."
                )
                % {"cli": cli},
            )
        return data
