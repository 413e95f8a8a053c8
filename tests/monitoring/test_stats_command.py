"""`lantern stats table`: labels not codes, the provenance beside the figures, and a clear
refusal of a table it cannot make."""

from __future__ import annotations

import csv
import json
import re

import pytest

from lantern.audit.models import AuditEntry
from lantern.cases.models import Case
from lantern.edges.fields import taxonomy_label
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(tmp_path, settings, cli, fast_passwords):
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 11)], tmp_path)
    first = Case.objects.order_by("id").first()
    assert first is not None
    Case.objects.filter(pk=first.pk).update(
        gender="", age_at_identification=None, age_min=18, age_max=None
    )
    assert cli("mart", "build").exit_code == 0


def test_text_shows_labels_a_cross_table_and_its_provenance(built, cli):
    out = cli(
        "stats",
        "table",
        "--rows",
        "sex",
        "--cols",
        "majority",
        "--where",
        "agency=ngo-one",
        "--threshold",
        "0",
    )
    assert out.exit_code == 0, out.output
    text = out.output
    recorded = set(Case.objects.exclude(gender="").values_list("gender", flat=True))
    assert recorded and all(taxonomy_label(g, "genders") in text for g in recorded)
    assert "Children (under 18)" in text and "Adults (18 and over)" in text
    assert "Unknown" in text  # the case with no sex recorded, kept
    for line in (
        "Unit: distinct children",
        "Total: 10",
        "Source agencies: Ngo-One",  # the agency's name, never its code
        "Period: ",
        "Selection: Agency = Ngo-One",
        "Completeness: Sex 10.0% unknown; Child or adult 0.0% unknown",
        "Suppression: none: every count is published as it is (threshold 0)",
    ):
        assert line in text, line
    assert "child_" not in text and "Feminine," not in text
    # dates in sentences as the reader's language writes them, never ISO
    period = next(line for line in text.splitlines() if line.startswith("Period: "))
    built = next(line for line in text.splitlines() if line.startswith("Mart built: "))
    assert not re.search(r"\d{4}-\d{2}", period + built), (period, built)
    assert re.search(
        r"(January|February|March|April|May|June|July|August|September|"
        r"October|November|December) \d{4}",
        period,
    ), period
    assert AuditEntry.objects.filter(action="table", resource="statistics").exists()


def test_agencies_are_named_not_coded(built, cli):
    out = cli("stats", "table", "--rows", "agency", "--threshold", "0")
    assert out.exit_code == 0, out.output
    assert "Ngo-One" in out.output and "ngo-one" not in out.output
    by_name = cli("stats", "table", "--rows", "sex", "--where", "agency=Ngo-One", "--json")
    assert json.loads(by_name.output)["where"] == [{"dimension": "agency", "code": "ngo-one"}]


def test_csv_has_one_column_per_column_category_and_cases_as_unit(built, cli):
    out = cli(
        "stats",
        "table",
        "--rows",
        "sex",
        "--cols",
        "majority",
        "--unit",
        "cases",
        "--csv",
        "--threshold",
        "0",
    )
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert lines[0] == "# Unit: cases (one agency's record of one child)"
    header, *body = list(csv.reader(line for line in lines if not line.startswith("#")))
    assert header[0] == "Sex" and set(header[1:]) <= {
        "Children (under 18)",
        "Adults (18 and over)",
        "Unknown",
    }
    assert sum(int(v) for row in body for v in row[1:]) == 10


def test_json_carries_codes_labels_and_provenance(built, cli):
    out = cli("stats", "table", "--rows", "age", "--json", "--threshold", "0")
    doc = json.loads(out.output)
    assert doc["unit"] == "children" and doc["total"] == 10
    labels = {c["categories"]["age"]["label"] for c in doc["cells"]}
    assert "Adult, exact age unknown" in labels
    assert doc["provenance"]["agencies"] == ["ngo-one"]  # codes for machines
    assert {"categories": {"age": None}, "count": 10, "suppressed": False} in doc["margins"]
    assert doc["provenance"]["completeness_unknown_share"] == {"age": 0.0}


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--rows", "colour"], "There is no dimension 'colour'"),
        (["--rows", "sex", "--where", "sex"], "--where takes DIMENSION=VALUE"),
        (["--rows", "sex", "--where", "majority=teen"], "Child or adult has no category 'teen'"),
        (["--rows", "sex", "--unit", "records"], "--unit is children or cases"),
        (["--rows", "sex", "--json", "--csv"], "choose one of --json and --csv"),
        (["--rows", "sex", "--epsilon", "0"], "--epsilon must be a positive number"),
        (["--rows", "sex,age,form,year", "--epsilon", "1"], "at most 3 dimensions"),
    ],
)
def test_a_table_that_cannot_be_made_is_refused_with_its_reason(built, cli, args, reason):
    out = cli("stats", "table", *args)
    assert out.exit_code == 2
    assert reason in out.output


def test_without_a_mart_the_command_says_how_to_build_it(tmp_path, settings, cli):
    settings.VAR_DIR = tmp_path / "empty"
    out = cli("stats", "table", "--rows", "sex")
    assert out.exit_code == 2 and "lantern mart build" in out.output
