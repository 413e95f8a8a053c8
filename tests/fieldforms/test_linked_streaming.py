"""The linked tables of ODK Central's CSV zip and Kobo's XLSX, read as streams: entries join
their submission by key (never by position), nested repeats join their entry, and whatever no
row owns comes last, in the order it was read."""

from __future__ import annotations

import pytest

from lantern.cases.importing import linked
from tests.fieldforms import shapes

pytestmark = pytest.mark.pure


def test_odk_entries_join_their_submission_by_key_whatever_their_order(tmp_path):
    mains = [{"name": f"child {i}", "KEY": f"uuid:{i}"} for i in range(1, 4)]
    # The repeat file lists the third submission's entries first, and one nested repeat
    # (a repeat inside the journey's second step) names its step by the step's KEY.
    steps = [
        {"place": "c1", "PARENT_KEY": "uuid:3", "KEY": "uuid:3/journey[1]"},
        {"place": "a1", "PARENT_KEY": "uuid:1", "KEY": "uuid:1/journey[1]"},
        {"place": "a2", "PARENT_KEY": "uuid:1", "KEY": "uuid:1/journey[2]"},
        {"place": "x", "PARENT_KEY": "uuid:9", "KEY": "uuid:9/journey[1]"},
    ]
    stops = [
        {"stop": "s1", "PARENT_KEY": "uuid:1/journey[2]", "KEY": "uuid:1/journey[2]/stops[1]"},
        {"stop": "lost", "PARENT_KEY": "uuid:9/journey[1]", "KEY": "uuid:9/journey[1]/stops[1]"},
    ]
    path = shapes.write_zip(
        tmp_path / "f.zip",
        {"f.csv": mains, "f-journey.csv": steps, "f-journey-stops.csv": stops},
    )
    rows = list(linked.read_zip(path))
    assert [n for n, _row in rows] == [1, 2, 3, 4, 5]
    first, second, third = (row for _n, row in rows[:3])
    assert first["journey"] == [{"place": "a1"}, {"place": "a2", "stops": [{"stop": "s1"}]}]
    assert "journey" not in second
    assert third["journey"] == [{"place": "c1"}]
    # The step whose submission is not in the file, then the stop under it: both reported.
    orphans = [row[linked.ORPHAN] for _n, row in rows[3:]]
    assert [(o["table"], o["line"], o["value"]) for o in orphans] == [
        ("f-journey.csv", 5, "uuid:9"),
        ("f-journey-stops.csv", 3, "uuid:9/journey[1]"),
    ]


def test_kobo_entries_join_by_index_else_by_the_submissions_uuid(tmp_path):
    mains = [
        {"name": "one", "_uuid": "u1", "_index": 1},
        {"name": "two", "_uuid": "u2", "_index": 2},
    ]
    link = {"_parent_table_name": "intake"}
    steps = [
        {"place": "b", **link, "_parent_index": 2, "_submission__uuid": "u2", "_index": 1},
        {"place": "a", **link, "_parent_index": 1, "_submission__uuid": "u1", "_index": 2},
        # No _parent_index: the submission's uuid places it.
        {"place": "a2", **link, "_parent_index": None, "_submission__uuid": "u1", "_index": 3},
        {"place": "gone", **link, "_parent_index": 7, "_submission__uuid": None, "_index": 4},
    ]
    path = shapes.write_xlsx(tmp_path / "k.xlsx", {"intake": mains, "journey": steps})
    rows = list(linked.read_workbook(path))
    one, two = rows[0][1], rows[1][1]
    assert [s["place"] for s in one["journey"]] == ["a", "a2"]
    assert [s["place"] for s in two["journey"]] == ["b"]
    assert "_parent_index" not in one["journey"][0] and "_index" not in one["journey"][0]
    assert rows[2] == (
        3,
        {
            linked.ORPHAN: {
                "table": "journey",
                "line": 5,
                "column": "_parent_index",
                "value": "7",
                "parent": "intake",
                "key": "_index",
            }
        },
    )


def test_a_broken_zip_member_is_unreadable_not_a_crash(tmp_path):
    path = tmp_path / "bad.zip"
    shapes.write_zip(path, {"f.csv": [{"name": "é", "KEY": "uuid:1"}]})
    data = path.read_bytes().replace("é".encode(), b"\xff\xfe")
    path.write_bytes(data)
    with pytest.raises(linked.LinkedTableError):
        list(linked.read_zip(path))
