"""Disclosure control on every output: `stats table` in every format, the GLOTIP and C182
reports, the threshold setting, distinct totals, and differentially private counts."""

from __future__ import annotations

import csv
import json
import re

import pytest

from lantern.monitoring.statistics.publish import Privacy, publish, publish_all
from lantern.monitoring.statistics.table import Cell, Margin, Provenance, Table, counted
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(tmp_path, settings, cli, fast_passwords):
    settings.VAR_DIR = tmp_path / "var"
    factories.agency("ngo-one")
    factories.import_records([factories.record(i) for i in range(1, 13)], tmp_path)
    assert cli("mart", "build").exit_code == 0


def test_stats_table_withholds_small_counts_in_every_format(built, cli):
    out = cli("stats", "table", "--rows", "sex", "--cols", "age", "--csv")
    assert out.exit_code == 0, out.output
    body = [line for line in out.output.splitlines() if not line.startswith("#")]
    figures = [v for row in csv.reader(body[1:]) for v in row[1:]]
    assert "x" in figures
    assert all(v == "x" or int(v) == 0 or int(v) >= 5 for v in figures)
    assert "# Suppression: counts below 5 withheld" in out.output
    doc = json.loads(cli("stats", "table", "--rows", "sex", "--cols", "age", "--json").output)
    counts = [c["count"] for c in (*doc["cells"], *doc["margins"])]
    assert None in counts and all(n is None or n == 0 or n >= 5 for n in counts)
    assert all((c["count"] is None) == c["suppressed"] for c in doc["cells"])
    text = cli("stats", "table", "--rows", "sex", "--cols", "age").output
    assert "x: a count withheld" in text


def test_the_threshold_is_an_option_and_a_setting(built, cli, settings):
    low = json.loads(cli("stats", "table", "--rows", "sex", "--json", "--threshold", "2").output)
    assert "counts below 2 withheld" in low["provenance"]["suppression"]
    settings.LANTERN_DISCLOSURE_THRESHOLD = 20
    high = json.loads(cli("stats", "table", "--rows", "sex", "--json").output)
    assert "counts below 20 withheld" in high["provenance"]["suppression"]
    assert high["total"] is None  # 12 children: below 20, withheld with everything else
    assert all(c["suppressed"] or c["count"] == 0 for c in high["cells"])


def test_glotip_writes_unodc_mark_and_c182_an_x_where_withheld(built, cli, tmp_path):
    glotip = tmp_path / "g.csv"
    result = cli("report", "glotip", "--year", "2024", "--country", "NPL", "--out", str(glotip))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(glotip.open(encoding="utf-8")))
    values = [r["txtVALUE"] for r in rows]
    assert "<5" in values
    assert all(v == "<5" or int(v.replace(",", "")) >= 5 for v in values)
    c182 = tmp_path / "c.csv"
    assert cli("report", "c182", "--year", "2024", "--out", str(c182)).exit_code == 0
    figures = [r[-1] for r in list(csv.reader(c182.open(encoding="utf-8")))[1:]]
    assert "x" in figures and all(v == "x" or int(v) >= 5 or v == "0" for v in figures)


def _table(cells: dict[tuple[str, ...], int], margins: dict[tuple[str | None, ...], int]) -> Table:
    return Table(
        rows=("form",),
        cols=(),
        where=(),
        unit="children",
        cells=tuple(Cell(k, v) for k, v in cells.items()),
        total=margins[(None,)],
        provenance=Provenance((), "2024", "children", {}, True, ""),
        margins=tuple(Margin(k, v) for k, v in margins.items()),
    )


def test_a_distinct_total_below_the_threshold_is_withheld_though_its_line_sums_more():
    # three children, each in both forms: 3 + 3 = 6 in the line, 3 children in the total
    out = publish(_table({("forced_labour",): 3, ("begging",): 3}, {(None,): 3}))
    assert out.total_suppressed and all(c.suppressed for c in out.cells)


FORMS = ("sexual_exploitation", "forced_labour", "forced_begging")  # the code list's order


def _crossed(counts: list[list[int]]) -> Table:
    """sex x form, its totals the sums of their lines."""
    sexes = ("Feminine", "Masculine")
    cells = {(s, f): counts[i][j] for i, s in enumerate(sexes) for j, f in enumerate(FORMS)}
    margins: dict[tuple[str | None, ...], int] = {
        **{(s, None): sum(counts[i]) for i, s in enumerate(sexes)},
        **{(None, f): sum(r[j] for r in counts) for j, f in enumerate(FORMS)},
        (None, None): sum(map(sum, counts)),
    }
    return Table(
        rows=("sex",),
        cols=("form",),
        where=(),
        unit="children",
        cells=tuple(Cell(k, v) for k, v in cells.items() if v),
        total=margins[(None, None)],
        provenance=Provenance((), "2024", "children", {}, True, ""),
        margins=tuple(Margin(k, v) for k, v in margins.items()),
    )


def test_a_count_one_table_withholds_is_withheld_by_the_others_of_the_release():
    # sex x form: suppression hides the total of sexual exploitation (18) as a complement
    by_sex = _crossed([[9, 3, 5], [9, 1, 3]])
    assert publish(by_sex).margin((None, FORMS[0])).suppressed  # type: ignore[union-attr]
    # the same children by form alone: nothing small, so on its own nothing is withheld
    by_form = _table({(f,): n for f, n in zip(FORMS, (18, 4 + 1, 8), strict=True)}, {(None,): 30})
    assert not any(c.suppressed for c in publish(by_form).cells)
    _, together = publish_all([by_sex, by_form])
    assert together.cells[0].suppressed  # else by_form would give away what by_sex hides
    assert sum(c.suppressed for c in together.cells) >= 2


def test_differentially_private_counts_state_their_budget(built, cli):
    doc = json.loads(cli("stats", "table", "--rows", "sex", "--json", "--epsilon", "0.5").output)
    assert re.search(r"epsilon 0\.5(00)? for this table", doc["provenance"]["suppression"])
    assert not any(c["suppressed"] for c in doc["cells"])
    private = publish(_table({("forced_labour",): 3, ("begging",): 3}, {(None,): 3}), dp=Privacy(1))
    assert "each unit in at most 3 of its counts" in private.provenance.suppression


def test_a_table_counted_outside_the_mart_reads_its_unknown_shares_from_its_cells():
    cells = (Cell(("NPL", "IND", "cross_border"), 6), Cell(("", "IND", "cross_border"), 2))
    table = counted(("origin", "destination", "scope"), "cases", cells, 8, ("ngo-x",), "2024")
    assert table.provenance.completeness == {"origin": 0.25, "destination": 0.0, "scope": 0.0}
    assert not table.provenance.linked and table.provenance.built_at
    assert counted(("origin",), "cases", (), 0, (), "").provenance.completeness == {"origin": 0.0}
