"""k-anonymity of microdata exports (Datafly): every quasi-identifier combination k times."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lantern.disclosure import (
    Hierarchy,
    age_hierarchy,
    k_anonymise,
    mapped_hierarchy,
    suppress_only,
)
from lantern.disclosure.kanonymity import SUPPRESSED, UNKNOWN

REGIONS = {"NG": "Africa", "GH": "Africa", "BJ": "Africa", "FR": "Europe", "DE": "Europe"}
QIS = ["age", "country", "year", "sex"]


def hierarchies() -> list[Hierarchy]:
    return [
        age_hierarchy(),
        mapped_hierarchy("country", ("region", REGIONS)),
        suppress_only("year"),
        suppress_only("sex"),
    ]


def child(i: int, age: int | None, country: str = "NG", year: int = 2022) -> dict[str, Any]:
    return {"id": i, "age": age, "country": country, "year": year, "sex": "f", "form": "begging"}


records = st.lists(
    st.builds(
        dict,
        age=st.one_of(st.none(), st.integers(0, 25)),
        country=st.sampled_from(sorted(REGIONS)),
        year=st.integers(2019, 2022),
        sex=st.sampled_from(["f", "m", None]),
        form=st.sampled_from(["begging", "domestic servitude"]),
    ),
    max_size=120,
).map(lambda rows: [{**row, "id": i} for i, row in enumerate(rows)])


@settings(max_examples=150, deadline=None)
@given(records, st.integers(1, 15), st.sampled_from([0.0, 0.05, 0.2]))
def test_every_export_is_k_anonymous(rows: list[dict[str, Any]], k: int, share: float) -> None:
    out = k_anonymise(rows, hierarchies(), k=k, max_suppressed=share)
    classes = Counter(tuple(r[q] for q in QIS) for r in out.records)
    assert all(n >= k for n in classes.values())
    assert len(out.records) + out.report.suppressed == len(rows)
    # Suppression beyond the allowance only when every quasi-identifier is already suppressed.
    if out.report.suppressed > out.report.allowance:
        assert set(out.report.levels.values()) == {"suppressed"}
    # Each output record is its input record, generalised at the reported levels, nothing else.
    by_id = {r["id"]: r for r in rows}
    for record in out.records:
        original = by_id[record["id"]]
        assert record["form"] == original["form"]
        for h in hierarchies():
            assert record[h.field] == h.generalise(original.get(h.field), out.levels[h.field])


def test_records_already_k_anonymous_pass_unchanged() -> None:
    rows = [child(i, 12) for i in range(11)]
    out = k_anonymise(rows, hierarchies())
    assert out.records == rows
    assert out.report.levels == {"age": "age", "country": "country", "year": "year", "sex": "sex"}
    assert out.report.suppressed == 0


def test_ages_are_banded_before_anything_else_is_lost() -> None:
    rows = [child(i, 10 + i % 5) for i in range(22)]
    out = k_anonymise(rows, hierarchies())
    assert out.report.levels["age"] == "age band"
    assert {r["age"] for r in out.records} == {"10-14"}
    assert out.report.levels["country"] == "country"


def test_a_lone_record_is_suppressed_within_the_allowance() -> None:
    rows = [child(i, 12) for i in range(30)] + [child(30, 12, country="FR")]
    out = k_anonymise(rows, hierarchies(), max_suppressed=0.05)
    assert out.report.suppressed == 1
    assert all(r["country"] == "NG" for r in out.records)


def test_unknown_stays_a_category() -> None:
    rows = [child(i, None) for i in range(11)] + [child(11 + i, 16) for i in range(11)]
    out = k_anonymise(rows, hierarchies(), max_suppressed=0)
    assert Counter(r["age"] for r in out.records) == {UNKNOWN: 11, 16: 11}


def test_fewer_than_k_records_leave_nothing() -> None:
    out = k_anonymise([child(i, 12) for i in range(5)], hierarchies(), k=11)
    assert out.records == []
    assert out.report.suppressed == 5
    assert out.levels == {"age": 3, "country": 2, "year": 1, "sex": 1}
    assert hierarchies()[0].generalise(12, 3) == SUPPRESSED


def test_a_country_without_a_region_is_refused() -> None:
    with pytest.raises(ValueError, match="region of 'XX'"):
        k_anonymise([child(i, 12, country="XX") for i in range(3)], hierarchies())


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="k must be"):
        k_anonymise([], hierarchies(), k=0)
    with pytest.raises(ValueError, match="share"):
        k_anonymise([], hierarchies(), max_suppressed=1.5)
    with pytest.raises(ValueError, match="exactly one hierarchy"):
        k_anonymise([], [suppress_only("year"), suppress_only("year")])
