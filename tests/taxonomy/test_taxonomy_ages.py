"""Age groups, and that the taxonomy stays a pure library."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.taxonomy import age_group, age_group_of_range, code_list
from lantern.taxonomy.ages import MAX_AGE, schemes


@pytest.mark.parametrize(
    ("years", "band"),
    [(0, "child_0_11"), (11, "child_0_11"), (12, "child_12_14"), (14, "child_12_14"),
     (15, "child_15_17"), (17, "child_15_17"), (18, "child_18_plus"), (70, "child_18_plus")],
)  # fmt: skip
def test_child_scheme_boundaries(years: int, band: str) -> None:
    assert age_group(years) == band


def test_each_scheme_tiles_all_ages_from_zero_without_gaps() -> None:
    assert set(schemes()) == {"child", "ctdc"}
    for bands in schemes().values():
        assert bands[0][0] == 0 and bands[-1][1] is None
        for (_, high, _), (next_low, _, _) in itertools.pairwise(bands):
            assert high is not None and next_low == high + 1


@given(st.integers(min_value=0, max_value=MAX_AGE))
def test_child_line_is_eighteen(years: int) -> None:
    assert (age_group(years, "child") != "child_18_plus") == (years < 18)
    assert age_group(years, "ctdc") in code_list("age_groups")


def test_unknown_age_is_none_and_bad_ages_are_refused() -> None:
    assert age_group(None) is None
    with pytest.raises(ValueError, match="outside"):
        age_group(-1)
    with pytest.raises(ValueError, match="outside"):
        age_group(MAX_AGE + 1)
    with pytest.raises(TypeError):
        age_group("15")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        age_group(True)
    with pytest.raises(ValueError, match="scheme"):
        age_group(10, "decades")


def test_taxonomy_imports_no_django() -> None:
    probe = (
        "import sys, lantern.taxonomy, lantern.taxonomy.ctdc, lantern.taxonomy.ilo;"
        "lantern.taxonomy.code_list('countries');"
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


@pytest.mark.parametrize(
    ("low", "high", "group"),
    [
        (15, 15, "child_15_17"),
        (12, 14, "child_12_14"),
        (0, 8, "child_0_11"),
        (9, 17, "minor_unknown"),  # CTDC's 9-17 spans the child bands
        (0, 17, "minor_unknown"),  # only "a minor"
        (18, None, "child_18_plus"),  # only "an adult": an adult, never a presumed minor
        (48, None, "child_18_plus"),
        (18, 20, "child_18_plus"),
        (16, 19, None),  # across 18: either
        (9, None, None),
        (None, None, None),
    ],
)
def test_a_band_gets_the_group_it_fits_and_no_more(low, high, group) -> None:
    assert age_group_of_range(low, high) == group


def test_minor_of_unknown_age_is_labelled_and_in_no_scheme() -> None:
    code = code_list("age_groups").get("minor_unknown")
    assert code.label("en") == "Minor, exact age unknown"
    assert code.label("fr") and code.label("es") and code.label("fr") != code.label("en")
    assert all("minor_unknown" not in {b[2] for b in bands} for bands in schemes().values())
