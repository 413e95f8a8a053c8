"""The national plan, its time-bound programmes, their targets and the indicators that measure
them. Tables live in the ``cases`` app (``app_label``), like every domain's.

Nothing here names a child: titles, goals, sources and filters are public policy text and
codes, kept in clear by design (``policy.fields.CLEAR_BY_DESIGN``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.directory.models import Organisation

_USER = settings.AUTH_USER_MODEL


class NationalPlan(models.Model):
    """A national plan of action: its period, the body answering for it, its partners."""

    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans_led"
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="plans_joined")
    next_review = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """A time-bound programme of the plan: a goal, a deadline, the areas it works in."""

    plan = models.ForeignKey(NationalPlan, on_delete=models.PROTECT, related_name="programmes")
    title = models.CharField(max_length=200)
    goal = models.TextField(blank=True)
    areas = models.JSONField(
        default=list, blank=True, help_text=_("country or province codes (NPL, NPL/Bagmati)")
    )
    # area text the vocabulary did not recognise (``lantern.taxonomy.areas``), kept as written
    # until a coordinator chooses its area: nothing an earlier version recorded is lost
    unmatched_areas = models.JSONField(default=list, blank=True)
    starts_on = models.DateField()
    deadline = models.DateField()
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes_led"
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="programmes_joined")
    review_dates = models.JSONField(default=list, blank=True, help_text=_("ISO dates"))
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["deadline", "title"]

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Computed from Lantern's statistics")
    ENTERED = "entered", _("Entered with its source")


class Indicator(models.Model):
    """What a target is measured by: a count from the statistics (unit and filters, by year),
    or figures entered with their source."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(max_length=10, blank=True, help_text=_("children or cases"))
    # (dimension, code) pairs of lantern.monitoring.statistics, e.g. [["origin_province", "X"]]
    filters = models.JSONField(default=list, blank=True)

    class Meta:
        app_label = "cases"

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """A figure entered for an indicator, with its source and, if the source gives one, its
    uncertainty (low and high bounds)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=300)
    entered_by = models.ForeignKey(_USER, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        app_label = "cases"
        ordering = ["year", "entered_at"]


class Direction(models.TextChoices):
    DECREASE = "decrease", _("Reduce")
    INCREASE = "increase", _("Increase")


class Target(models.Model):
    """A target of a programme: from a baseline (value, year) to a value by a date."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    statement = models.CharField(max_length=300)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    baseline_value = models.FloatField()
    baseline_year = models.PositiveSmallIntegerField()
    target_value = models.FloatField()
    target_date = models.DateField()

    class Meta:
        app_label = "cases"
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.statement
