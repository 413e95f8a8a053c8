"""Property tests (hypothesis): no count ``publish`` withholds can be worked out from what it
publishes, for random small marts and any table the builder makes (1 to 3 dimensions among
several, children or cases, list dimensions and children with several cases included).

The reader sees every cell and every total left published (distinct counts: a child in two
cells of a line counts once in its total). The intruder's audit (``lantern.disclosure.audit``,
integer programming) is given all of that, plus by how much each line's sum exceeds its total
(more than any reader knows); for each withheld count it finds the least and the greatest value
it can take. A small count must be able to reach the threshold; any other withheld count must
not be pinned to one value. And the published counts are the true ones, totals included.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.disclosure import audit
from lantern.monitoring.mart import CASE_SCHEMA
from lantern.monitoring.statistics.publish import _Cube, publish
from lantern.monitoring.statistics.table import Table, TableSpec, build_table

SEXES = ["Feminine", "Masculine", ""]
AGES = ["child_0_11", "child_15_17", "minor_unknown", ""]
FORMS = ["forced_labour", "sexual_exploitation", "begging"]
COUNTRIES = ["NPL", "IND", ""]
# single-valued and list dimensions, as the builder offers them
DIMENSIONS = ["sex", "age", "form", "primary_form", "destination", "year"]

cases = st.lists(
    st.fixed_dictionaries(
        {
            "child": st.integers(0, 14),  # several cases of one child: a linked person key
            "sex": st.sampled_from(SEXES),
            "age": st.sampled_from(AGES),
            "forms": st.lists(st.sampled_from(FORMS), max_size=2, unique=True),
            "destination": st.sampled_from(COUNTRIES),
            "year": st.sampled_from([2022, 2023]),
        }
    ),
    min_size=1,
    max_size=40,
)
specs = st.builds(
    lambda dims, split, unit: TableSpec(
        rows=tuple(dims[:split]), cols=tuple(dims[split:]), unit=unit
    ),
    st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=3, unique=True),
    st.integers(1, 3),
    st.sampled_from(["children", "cases"]),
)


def write_mart(rows: list[dict[str, Any]], out: Path) -> Path:
    cols: dict[str, list[Any]] = {name: [] for name in CASE_SCHEMA.names}
    records = collections.Counter(r["child"] for r in rows)
    for i, r in enumerate(rows):
        values = {
            "case_key": f"case-{i}",
            "person_key": f"child-{r['child']}",
            "person_key_loose": f"child-{r['child']}",
            "linked": True,
            "child_records": records[r["child"]],
            "child_number": r["child"],
            "agency": "ngo-one",
            "agency_type": "ngo",
            "registration_month": dt.date(r["year"], 1 + i % 12, 1),
            "registration_year": r["year"],
            "registration_precision": "day",
            "intake_channel": "",
            "sex": r["sex"],
            "age_group": "",
            "age_evidence": "",
            "age_category": r["age"],
            "citizenship": "",
            "primary_form": (r["forms"][0] or "") if r["forms"] else "",
            "forms": r["forms"],
            "sectors": [],
            "trafficking_status": "",
            "recruitment_method": "",
            "relationship_to_trafficker": "",
            "control_methods": [],
            "status": "",
            "outcome": "",
            "origin_country": "",
            "origin_state": "",
            "destination_country": r["destination"],
            "destination_state": "",
            "journey_scope": "",
        }
        for k, v in values.items():
            cols[k].append(v)
    path = out / f"cases-{abs(hash(str(rows)))}.parquet"
    pq.write_table(pa.table(cols, schema=CASE_SCHEMA), path)
    return path


def check(raw: Table, threshold: int) -> None:
    out = publish(raw, threshold)
    truth = _Cube.of(raw)
    assert truth is not None
    entries = {e.values: e for e in (*out.cells, *out.margins)}
    published: dict[tuple[int, ...], int | None] = {}
    for idx in itertools.product(*(range(len(a) + 1) for a in truth.axes)):
        values = tuple(None if i == len(a) else a[i] for i, a in zip(idx, truth.axes, strict=True))
        entry = entries.get(values)
        real = int(truth.distinct[idx])
        if entry is None:  # a combination nobody is in: a published zero
            assert real == 0
            published[idx] = 0
            continue
        assert entry.count == real
        if entry.suppressed:
            published[idx] = None
        else:
            assert real >= threshold or real == 0, (values, real)
            published[idx] = real
    gap = _sums(truth) - truth.distinct
    overlap = {idx: int(gap[idx]) for idx in published if gap[idx]}
    intervals = audit(published, truth.distinct.shape, zeros_published=True, overlap=overlap)
    for idx, interval in intervals.items():
        real = int(truth.distinct[idx])
        assert interval.low <= real <= interval.high
        if real < threshold:
            assert interval.high >= threshold, (idx, real, interval)
        else:
            assert not interval.exact, (idx, real, interval)
    # what the renderers print of the grand total follows its status
    assert out.total_suppressed == (published[tuple(len(a) for a in truth.axes)] is None)


def _sums(cube: _Cube) -> Any:
    sums = cube.counts
    for axis in range(sums.ndim):
        sums = np.concatenate([sums, sums.sum(axis=axis, keepdims=True)], axis=axis)
    return sums


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=cases, spec=specs, threshold=st.integers(2, 6))
def test_no_withheld_count_can_be_worked_out(
    tmp_path_factory: Any, rows: list[dict[str, Any]], spec: TableSpec, threshold: int
) -> None:
    path = write_mart(rows, tmp_path_factory.mktemp("mart"))
    check(build_table(spec, path), threshold)
