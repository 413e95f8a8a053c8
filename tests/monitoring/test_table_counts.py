"""A table's counts are distinct units, worked out the slow way: per cell and per total, the
children (or cases) with a record in it, whatever the shortcut ``statistics.counting`` takes
(children of one record counted as rows, lists with repeated or missing categories, filters on
a list, a mart from before ``child_number`` or ``child_records``)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.monitoring import mart
from lantern.monitoring.statistics import counting
from lantern.monitoring.statistics.table import TableSpec, build_table
from tests.monitoring.test_publish_properties import write_mart

FORMS = ["forced_labour", "sexual_exploitation", "forced_begging", "", None]
#: mart dimension -> the row field the test's mart writes it from (test_publish_properties)
FIELDS = {
    "sex": "sex",
    "age": "age",
    "form": "forms",
    "destination": "destination",
    "year": "year",
}

cases = st.lists(
    st.fixed_dictionaries(
        {
            "child": st.integers(0, 9),
            "sex": st.sampled_from(["Feminine", "Masculine", ""]),
            "age": st.sampled_from(["child_0_11", "minor_unknown", ""]),
            # repeated, empty and missing categories: each counts once, '' as unknown
            "forms": st.lists(st.sampled_from(FORMS), max_size=3),
            "destination": st.sampled_from(["NPL", "IND", ""]),
            "year": st.sampled_from([2022, 2023]),
        }
    ),
    min_size=1,
    max_size=30,
)
specs = st.builds(
    lambda dims, split, unit, where: TableSpec(
        rows=tuple(dims[:split]),
        cols=tuple(dims[split:]),
        unit=unit,
        where=tuple(where),
    ),
    st.lists(st.sampled_from(sorted(FIELDS)), min_size=1, max_size=3, unique=True),
    st.integers(1, 3),
    st.sampled_from(["children", "cases"]),
    st.lists(
        st.sampled_from([("form", "forced_begging"), ("form", "unknown"), ("sex", "Feminine")]),
        max_size=1,
    ),
)


def categories(row: dict[str, Any], name: str) -> list[str]:
    value = row[FIELDS[name]]
    if name == "form":
        return [v or "" for v in value] or [""]
    return [str(value)]


def slow_counts(
    rows: list[dict[str, Any]], spec: TableSpec
) -> tuple[dict[tuple[str | None, ...], int], dict[str, int]]:
    """Per cell and total, the distinct units with a record in it; per dimension, the units
    with a known category."""
    shown = list(spec.dimensions)
    names = list(dict.fromkeys([*shown, *(n for n, _v in spec.where)]))
    wanted = {n: ("" if v == "unknown" else v) for n, v in spec.where}
    seen: dict[tuple[str | None, ...], set[Any]] = {}
    known: dict[str, set[Any]] = {n: set() for n in names}
    for i, row in enumerate(rows):
        unit = row["child"] if spec.unit == "children" else i
        for combo in itertools.product(*(categories(row, n) for n in names)):
            values = dict(zip(names, combo, strict=True))
            if any(values[n] != v for n, v in wanted.items()):
                continue
            for n in names:
                if values[n]:
                    known[n].add(unit)
            for kept in itertools.product((True, False), repeat=len(shown)):
                key = tuple(values[n] if k else None for n, k in zip(shown, kept, strict=True))
                seen.setdefault(key, set()).add(unit)
    return {k: len(v) for k, v in seen.items()}, {n: len(v) for n, v in known.items()}


def table_counts(spec: TableSpec, path: Path) -> tuple[dict[Any, int], dict[str, float], int]:
    table = build_table(spec, path)
    counts = {e.values: e.count for e in table.entries() if e.count}
    return counts, table.provenance.completeness, table.total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=cases, spec=specs)
def test_every_count_is_the_distinct_units_in_it(
    tmp_path_factory: Any, rows: list[dict[str, Any]], spec: TableSpec
) -> None:
    folder = tmp_path_factory.mktemp("mart")
    path = write_mart(rows, folder)
    expected, known = slow_counts(rows, spec)
    counts, completeness, total = table_counts(spec, path)
    assert counts == expected
    assert completeness == {n: (1 - known[n] / total if total else 0.0) for n in completeness}
    # marts written before the build numbered the children (keyed strings counted), and before
    # it said how many records each child has (every child with count(DISTINCT)): the same table
    # the distinct count without bitmaps (a table of more groups than they may take): the same
    budget = counting.BITMAP_BUDGET
    counting.BITMAP_BUDGET = 0
    try:
        assert table_counts(spec, path) == (counts, completeness, total)
    finally:
        counting.BITMAP_BUDGET = budget
    for dropped in (["child_number"], ["child_number", "child_records"]):
        older = folder / f"older-{len(dropped)}.parquet"
        pq.write_table(pq.read_table(path).drop_columns(dropped), older)
        assert table_counts(spec, older) == (counts, completeness, total)


def test_children_of_several_records_are_numbered_first() -> None:
    # a bitmap over the numbers of the children of several records spans just them
    keys = pa.array(["k1", "k2", "k1", "k3", "k3", "k4", "k5", "k3"])
    numbers = mart._child_numbers(keys).to_pylist()
    assert numbers == [0, 2, 0, 1, 1, 3, 4, 1]
