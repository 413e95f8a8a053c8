"""Six agencies on the estimate page: the recommended method merges the smallest lists down
to five for model averaging, says which, explains why, in the reader's language."""

from __future__ import annotations

import time

import pytest

from lantern.monitoring import mart
from lantern.monitoring.estimates import EstimateRequest, estimate_from_mart
from lantern.simulation import SimulationConfig
from tests.monitoring.test_estimate_translations import LOCALE, _entries
from tests.monitoring.test_estimates import load_perfectly_linked

pytestmark = pytest.mark.django_db


@pytest.fixture
def six(tmp_path, settings):
    """A six-agency world loaded through import, linked perfectly from the truth."""
    cfg = SimulationConfig(seed=7, children=1200, agencies=6, scenario="mekong")
    summary = load_perfectly_linked(tmp_path, settings, cfg)[1]
    mart.build()
    return summary


def test_six_agencies_get_model_averaging_on_merged_lists_fast_and_said(six):
    started = time.perf_counter()
    result = estimate_from_mart(EstimateRequest())
    assert time.perf_counter() - started < 20  # lcmcr's default took ~31 s on the demo
    assert len(result.provenance.lists) == 6
    assert result.method == "dga" and result.total.method == "dga"
    merged = result.total.settings["merged_lists"]
    assert merged and all(len(group) >= 2 for group in merged)
    assert result.total.settings["lists_given"] == list(result.provenance.lists)
    stated = [w for w in result.provenance.warnings if "smallest lists were merged" in w]
    assert len(stated) == 1 and " + ".join(merged[0]) in stated[0]
    assert "Model averaging" in result.explanation
    assert "fewest children are first combined into one list" in result.explanation
    labels = [f.label for f in result.agreement.figures]
    assert labels[0] == "model averaging" not in labels[1:]  # not compared to itself


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fr", ("fusionnées", "le moins d'enfants", "d'abord fusionnées")),
        ("es", ("se fusionaron", "menos niños", "se fusionan primero")),
    ],
)
def test_the_merge_sentences_have_french_and_spanish_entries(lang, words):
    # the .mo files are compiled by the lead at merge; the catalogue entries are checked here
    entries = {
        msgid: forms for _, msgid, forms in _entries(LOCALE / lang / "LC_MESSAGES" / "django.po")
    }
    starts = (
        "model averaging handles at most %(most)s lists: the smallest lists were merged",
        "With more than %(most)s agencies, the agencies that recorded the fewest children",
        "Recommended: model averaging; beyond 5 lists the smallest are merged first",
    )
    for start, word in zip(starts, words, strict=True):
        found = [(msgid, forms[0]) for msgid, forms in entries.items() if msgid.startswith(start)]
        assert len(found) == 1, start
        msgid, translated = found[0]
        assert word in translated
        for placeholder in ("%(most)s", "%(lists)s"):
            assert (placeholder in msgid) == (placeholder in translated)
