"""`lantern export --format ctdc`: CTDC's k-anonymised shape, read back by `lantern import
--format ctdc`; every combination of quasi-identifiers k times; ages and dates never more
precise than they came in; no identifying field; only the statistics roles, audited."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.accounts.models import Role
from lantern.audit.models import AuditEntry
from lantern.cases.importing import import_file
from lantern.cases.models import Case
from lantern.monitoring.microdata import ctdc
from tests import factories

BANDS = {band: (a, b) for band, a, b in ctdc.AGE_BANDS}


def _ctdc_rows() -> list[dict[str, str]]:
    """CTDC 2024-shaped rows: year-only dates, age bands or only minor/adult, and a few rare
    combinations that k-anonymity has to hide."""
    base = {c: "" for c in ctdc.columns()}
    rows = []

    def add(n: int, **cells: str) -> None:
        rows.extend({**base, **cells} for _ in range(n))

    add(24, yearOfRegistration="2021", gender="Woman", ageBroad="9--17", citizenship="NPL",
        CountryOfExploitation="IND", isSexualExploit="1")  # fmt: skip
    add(14, yearOfRegistration="2021", gender="Man", ageBroad="0--8", citizenship="NPL",
        CountryOfExploitation="IND", isForcedLabour="1", sectorOfLabourAgriculture="1")  # fmt: skip
    add(12, yearOfRegistration="2021", gender="Man", majorityStatus="Minor", citizenship="NPL",
        CountryOfExploitation="IND", isForcedLabour="1")  # fmt: skip
    add(2, yearOfRegistration="2021", gender="Woman", ageBroad="18--20", citizenship="ISL",
        CountryOfExploitation="NOR", isOtherExploit="1")  # fmt: skip
    add(13, yearOfRegistration="2022", gender="Woman", ageBroad="9--17", citizenship="KHM",
        CountryOfExploitation="THA", meansFalsePromises="1", isForcedLabour="1")  # fmt: skip
    add(1, yearOfRegistration="2022", gender="Man", ageBroad="48+", citizenship="KHM")
    return rows


@pytest.fixture
def coordinator(db: Any) -> Any:
    return factories.user("coord", Role.NATIONAL_COORDINATOR, agency_code=None, team=None)


@pytest.fixture
def store(tmp_path: Path, coordinator: Any) -> Path:
    factories.agency("ngo-one")
    factories.agency("ctdc-in")
    factories.agency("ctdc-back")
    src = tmp_path / "in.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ctdc.columns()))
        writer.writeheader()
        writer.writerows(_ctdc_rows())
    report = import_file(src, coordinator, source_format="ctdc", agency="ctdc-in")
    assert report.errors == [] and report.created == 66
    # Lantern's own records: names, birth dates, exact ages, day-precise dates, free text
    factories.import_records([factories.record(i) for i in range(1, 41)], tmp_path)
    return tmp_path


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


pytestmark = pytest.mark.django_db


def test_export_writes_ctdcs_shape_and_imports_back(store: Path, coordinator: Any, cli) -> None:
    out = store / "ctdc.csv"
    res = cli("export", "--format", "ctdc", "--user", "coord", "--out", str(out))
    assert res.exit_code == 0, res.output
    header, rows = _read(out)
    assert header == list(ctdc.columns())
    assert 0 < len(rows) < Case.objects.count()  # the rare rows did not leave
    report = ctdc.report_path(out).read_text(encoding="utf-8")
    assert "k = 11" in report and f"rows written: {len(rows)}" in report
    assert re.search(r"rows suppressed \(left out\): [1-9]", report)
    assert "2021:" in report and "citizenship:" in report and "age:" in report
    back = import_file(out, coordinator, source_format="ctdc", agency="ctdc-back")
    assert back.errors == [] and back.created == len(rows)
    entry = AuditEntry.objects.filter(action="export", resource="ctdc").get()
    assert entry.username == "coord" and "k=11" in entry.reason
    one_year = store / "2021.csv"
    res = cli("export", "--user", "coord", "--out", str(one_year), "--year", "2021")
    assert res.exit_code == 0, res.output
    assert {r["yearOfRegistration"] for r in _read(one_year)[1]} == {"2021"}


@pytest.mark.parametrize("k", [11, 5])
def test_every_combination_of_quasi_identifiers_occurs_k_times(
    store: Path, coordinator: Any, k: int
) -> None:
    from lantern.monitoring.microdata.service import export_ctdc

    out = store / f"k{k}.csv"
    report = export_ctdc(coordinator, out, k=k)
    _header, rows = _read(out)
    sizes = Counter(ctdc.classes(rows))
    assert rows and min(sizes.values()) >= k
    assert report.written == len(rows)
    assert ("2021", "Woman", "18--20", "Adult", "ISL", "NOR") not in sizes  # two of them


def test_ages_and_dates_never_more_precise_than_they_came_in(store: Path, coordinator) -> None:
    from lantern.monitoring.microdata.service import export_ctdc

    out = store / "in.csv.out.csv"
    export_ctdc(coordinator, out, k=11, agency="ctdc-in")
    _header, rows = _read(out)
    given_bands = Counter(r["ageBroad"] for r in _ctdc_rows() if r["ageBroad"])
    written = Counter(r["ageBroad"] for r in rows if r["ageBroad"])
    # every band written was given, and never to more rows than gave it
    assert all(n <= given_bands[band] for band, n in written.items())
    # the twelve given only as minors are never written with a band
    minors_only = sum(1 for r in rows if r["majorityStatus"] == "Minor" and not r["ageBroad"])
    assert sum(written.values()) + minors_only <= len(rows)
    assert written["0--8"] <= 14
    for r in rows:
        assert re.fullmatch(r"\d{4}", r["yearOfRegistration"])
        for cell in r.values():
            assert not re.search(r"\d{4}-\d{2}", cell)  # no date finer than the year


@given(
    st.integers(0, 90).flatmap(
        lambda low: st.tuples(st.just(low), st.one_of(st.none(), st.integers(low, 99)))
    )
)
def test_an_age_is_written_as_a_band_or_status_that_holds_all_of_it(
    bounds: tuple[int, int | None],
) -> None:
    low, high = bounds
    value = ctdc.age_value(low, high)
    if value in BANDS:
        a, b = BANDS[value]
        assert a <= low and (b is None or (high is not None and high <= b))
    elif value == ctdc.MINOR:
        assert high is not None and high <= 17
    elif value == ctdc.ADULT:
        assert low >= 18
    else:
        assert value == "" and (high is None or high >= 18) and low < 18
    assert ctdc.majority(value) in ("", ctdc.MINOR, ctdc.ADULT)


def test_no_identifying_field_leaves(store: Path, coordinator: Any) -> None:
    from lantern.monitoring.microdata.service import export_ctdc

    out = store / "all.csv"
    export_ctdc(coordinator, out, k=2)
    text = out.read_text(encoding="utf-8")
    for word in (*factories.GIVEN, *factories.FAMILY, "Sindhupalchok", "Bagmati", "R000001"):
        assert word not in text
    assert not re.search(r"C-[0-9A-F]{10}", text)  # no case reference
    header, _rows = _read(out)
    assert not {"prs_FirstName", "prs_Birthdate", "source_record_id"} & set(header)


def test_refusals_are_clear_and_write_nothing(store: Path, cli) -> None:
    factories.user("cw", Role.CASEWORKER)
    out = store / "no.csv"
    res = cli("export", "--user", "cw", "--out", str(out))
    assert res.exit_code == 2 and "may not export" in res.output and not out.exists()
    res = cli("export", "--user", "coord", "--out", str(out), "--k", "1")
    assert res.exit_code == 2 and "k must be at least 2" in res.output
    res = cli("export", "--user", "coord", "--out", str(out), "--agency", "nowhere")
    assert res.exit_code == 2 and "no agency 'nowhere'" in res.output
    res = cli("export", "--user", "coord", "--out", str(out), "--format", "glotip")
    assert res.exit_code == 2 and "--format" in res.output
    assert not out.exists()
    assert not AuditEntry.objects.filter(resource="ctdc").exists()
