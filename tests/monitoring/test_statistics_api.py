"""The statistics API: dimensions with their labels, a table with labelled counts, totals and
provenance, small counts withheld, CSV and XLSX downloads, and clear refusals."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(tmp_path, settings, cli, fast_passwords):
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 13)], tmp_path)
    assert cli("mart", "build").exit_code == 0
    user = factories.user("analyst", Role.ANALYST, agency_code=None, team=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(user.username)}"}


def test_dimensions_are_listed_with_their_labels_in_the_readers_language(analyst):
    r = Client().get("/api/statistics/dimensions", HTTP_ACCEPT_LANGUAGE="fr", **analyst)
    assert r.status_code == 200
    dims = {d["name"]: d for d in r.json()["dimensions"]}
    assert dims["form"]["multi"] and not dims["sex"]["multi"]
    assert dims["sex"]["title"] == "Sexe"


def test_a_table_has_labels_totals_provenance_and_no_count_below_the_threshold(analyst):
    r = Client().get(
        "/api/statistics/table", {"rows": "sex", "cols": "age", "unit": "cases"}, **analyst
    )
    assert r.status_code == 200, r.content
    doc = r.json()
    counts = [c["count"] for c in (*doc["cells"], *doc["margins"])]
    assert None in counts  # twelve cases by sex and age: small counts withheld
    assert all(n is None or n == 0 or n >= 5 for n in counts)
    labels = {c["label"] for cell in doc["cells"] for c in cell["categories"]}
    assert not any("_" in label for label in labels)  # labels, never codes
    assert doc["provenance"]["agencies"] == ["Ngo-One"]
    assert "counts below 5 withheld" in doc["provenance"]["suppression"]
    grand = next(m for m in doc["margins"] if all(c["code"] is None for c in m["categories"]))
    assert grand["categories"][0]["label"] == "Total" and grand["count"] in (12, None)
    assert AuditEntry.objects.filter(action="table", resource="statistics").exists()


def test_downloads_carry_the_same_withheld_table(analyst):
    query = {"rows": "sex", "cols": "age", "unit": "cases"}
    r = Client().get("/api/statistics/table/csv", query, **analyst)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    lines = r.content.decode().splitlines()
    body = list(csv.reader(io.StringIO("\n".join(x for x in lines if not x.startswith("#")))))
    assert "x" in [v for row in body[1:] for v in row[1:]]
    x = Client().get("/api/statistics/table/xlsx", query, **analyst)
    assert x.status_code == 200
    book = load_workbook(io.BytesIO(x.content))
    figures = [
        v for row in book.worksheets[0].iter_rows(min_row=2, values_only=True) for v in row[1:]
    ]
    assert "x" in figures and all(v == "x" or v == 0 or v >= 5 for v in figures)
    about = [row[0] for row in book.worksheets[1].iter_rows(values_only=True)]
    assert any(str(line).startswith("Suppression: counts below 5") for line in about)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"rows": "sexx"}, "did you mean sex?"),
        ({"rows": "colour"}, "There is no dimension 'colour'"),
        ({"rows": "sex", "where": "sex"}, "A filter is DIMENSION=VALUE"),
        ({"rows": "sex", "where": "sex=Martian"}, "Sex has no category 'Martian'"),
    ],
)
def test_a_bad_request_answers_422_with_its_reason(analyst, query, reason):
    r = Client().get("/api/statistics/table", query, **analyst)
    assert r.status_code == 422, r.content
    assert reason in r.json()["detail"]


def test_a_table_of_four_dimensions_is_published_as_a_list_beside_its_grand_total(analyst):
    r = Client().get("/api/statistics/table", {"rows": "sex,age,form,year"}, **analyst)
    assert r.status_code == 200, r.content
    body = r.json()
    assert "the only total published" in body["provenance"]["suppression"]
    assert not any("<" in str(c.get("count", "")) and not c["suppressed"] for c in body["cells"])


def test_other_roles_are_refused_and_no_mart_is_a_conflict(analyst, settings, tmp_path):
    worker = factories.user("worker", Role.CASEWORKER)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {factories.api_token(worker.username)}"}
    assert Client().get("/api/statistics/table", {"rows": "sex"}, **auth).status_code == 403
    settings.VAR_DIR = tmp_path / "empty"
    r = Client().get("/api/statistics/table", {"rows": "sex"}, **analyst)
    assert r.status_code == 409 and "lantern mart build" in r.json()["detail"]
