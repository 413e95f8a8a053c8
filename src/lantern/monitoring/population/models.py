"""A loaded population table and its rows. Tables in the ``cases`` app (``app_label``), as every
domain's; aggregate public figures, no person in them."""

from __future__ import annotations

from django.db import models


class PopulationTable(models.Model):
    """One loaded file: where its figures come from."""

    source = models.CharField(max_length=200)  # e.g. "UN DESA, World Population Prospects 2024"
    file_name = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"

    def __str__(self) -> str:
        return self.source


class Population(models.Model):
    """The population of one area in one year, of one sex and age group ('' = all)."""

    table = models.ForeignKey(PopulationTable, on_delete=models.CASCADE, related_name="rows")
    area = models.CharField(max_length=64)  # ISO 3166 alpha-3, or a province as the mart names it
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=32, blank=True)  # a genders code; '' = both sexes
    age_group = models.CharField(max_length=32, blank=True)  # an age_groups code; '' = all ages
    population = models.PositiveBigIntegerField()

    class Meta:
        app_label = "cases"
        constraints = [
            models.UniqueConstraint(
                fields=["table", "area", "year", "sex", "age_group"], name="population_unique_row"
            )
        ]
