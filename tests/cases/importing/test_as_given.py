"""Ages and dates as sources give them (#16 item 3), in Lantern's own row shape: an exact age,
a band or only adult/minor; a date of a year, a month or a day, never shown as more precise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lantern.accounts.models import Role
from lantern.cases.importing import import_file
from lantern.cases.importing.rows import parse_row
from lantern.cases.models import Case
from lantern.web.templatetags.lantern import age_as_given, date_as_given
from tests import factories


def _row(**cells: object) -> dict[str, object]:
    row = factories.record(1)
    for key in ("ext_StatedAge", "prs_Birthdate", "ext_AgeEvidence"):
        row[key] = ""
    row.update(cells)
    return row


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"ext_StatedAge": "15"}, (15, 15, "child_15_17", "")),
        ({"ext_AgeMin": "9", "ext_AgeMax": "17"}, (9, 17, "minor_unknown", "")),
        ({"ext_AgeMin": "12", "ext_AgeMax": "14"}, (12, 14, "child_12_14", "")),
        ({"ext_AgeMin": "18", "ext_AgeMax": "20"}, (18, 20, "child_18_plus", "")),
        ({"ext_AgeMin": "48"}, (48, None, "child_18_plus", "")),
        ({"ext_IsMinor": "no"}, (18, None, "child_18_plus", "")),
        ({"ext_IsMinor": "yes"}, (0, 17, "minor_unknown", "")),
        ({"ext_AgeMin": "15", "ext_IsMinor": "yes"}, (15, 17, "child_15_17", "")),
        # A band across 18 says nothing of the group: the age is in doubt, presumed a minor.
        ({"ext_AgeMin": "16", "ext_AgeMax": "19"}, (16, 19, "", "presumed_minor")),
        ({"ext_AgeMin": "9"}, (9, None, "", "presumed_minor")),
        ({}, (None, None, "", "presumed_minor")),
    ],
)
def test_an_age_is_kept_as_given(cells, expected):
    rec = parse_row(1, _row(**cells))
    assert not isinstance(rec, list), rec
    c = rec.case
    assert (c["age_min"], c["age_max"], c["age_group"], c["age_evidence"]) == expected
    exact = expected[0] if expected[0] == expected[1] else None
    assert c["age_at_identification"] == exact


def test_a_birth_date_gives_an_exact_age():
    rec = parse_row(1, _row(prs_Birthdate="2010-06-01", cas_RegistrationDate="2024-05-31"))
    assert not isinstance(rec, list)
    assert (rec.case["age_min"], rec.case["age_max"]) == (13, 13)


@pytest.mark.parametrize(
    ("cells", "field", "reason"),
    [
        ({"ext_AgeMin": "17", "ext_AgeMax": "9"}, "ext_AgeMax", "9 is below ext_AgeMin 17"),
        ({"ext_AgeMin": "18", "ext_IsMinor": "yes"}, "ext_IsMinor", "ext_AgeMin is 18"),
        ({"ext_AgeMax": "17", "ext_IsMinor": "no"}, "ext_IsMinor", "ext_AgeMax is 17"),
        ({"ext_StatedAge": "20", "ext_IsMinor": "yes"}, "ext_StatedAge", "outside the age band"),
        ({"ext_AgeMin": "nine"}, "ext_AgeMin", "not a number"),
        ({"ext_IsMinor": "perhaps"}, "ext_IsMinor", "not yes, no or blank"),
    ],
)
def test_ages_that_contradict_each_other_are_the_rows_errors(cells, field, reason):
    errors = parse_row(1, _row(**cells))
    assert isinstance(errors, list)
    assert [e.field for e in errors] == [field] and reason in errors[0].reason


@pytest.mark.parametrize(
    ("given", "stored", "precision"),
    [
        ("2019", dt.date(2019, 1, 1), "year"),
        ("2019-03", dt.date(2019, 3, 1), "month"),
        ("2019-03-05", dt.date(2019, 3, 5), "day"),
        (2019, dt.date(2019, 1, 1), "year"),  # a spreadsheet's number
    ],
)
def test_a_registration_date_keeps_its_precision(given, stored, precision):
    rec = parse_row(1, _row(cas_RegistrationDate=given))
    assert not isinstance(rec, list), rec
    assert rec.registration_date == stored
    assert rec.case["registration_date_precision"] == precision


@pytest.mark.parametrize("given", ["2019-13", "19", "2019-3", "March 2019", "2019-02-30"])
def test_a_date_that_is_none_of_the_three_shapes_is_an_error(given):
    errors = parse_row(1, _row(cas_RegistrationDate=given))
    assert isinstance(errors, list)
    assert errors[0].field == "cas_RegistrationDate" and "YYYY-MM" in errors[0].reason


def test_the_display_is_never_more_precise_than_given():
    day = dt.date(2019, 1, 1)
    assert date_as_given(day, "year") == "2019"
    assert date_as_given("2019-03-01", "month") == "2019-03"
    assert date_as_given(day, "day") == "2019-01-01"
    assert age_as_given({"age_min": 15, "age_max": 15}) == "15"
    assert age_as_given({"age_min": 9, "age_max": 17}) == "9-17"
    assert age_as_given({"age_min": 18, "age_max": None}) == "18 or over"
    assert age_as_given({"age_min": 0, "age_max": 17}) == "under 18"
    assert age_as_given({"age_min": None, "age_max": None}) == ""


@pytest.mark.django_db
def test_the_case_list_and_page_show_a_year_as_a_year(tmp_path):
    coordinator = factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)
    row = _row(cas_RegistrationDate="2019", ext_AgeMin="9", ext_AgeMax="17", agency="ngo-one")
    factories.agency("ngo-one")
    report = import_file(factories.write_csv(tmp_path / "r.csv", [row]), coordinator)
    assert report.errors == [] and report.created == 1
    case = Case.objects.get()
    assert (case.registration_date, case.registration_date_precision) == (
        dt.date(2019, 1, 1),
        "year",
    )
    client = factories.verified_login(Client(), coordinator)
    listing = client.get(reverse("web:case_list")).content.decode()
    page = client.get(reverse("web:case_detail", args=[case.pk])).content.decode()
    for html in (listing, page):
        assert ">2019<" in html or ">2019 " in html
        assert "2019-01-01" not in html and "9-17" in html
