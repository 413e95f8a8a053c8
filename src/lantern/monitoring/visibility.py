"""The estimate page's range under varying visibility, in the reader's language.

The page's figure assumes that agencies find children at random; where some children are much
harder for every agency to find, it falls short (the page says to read it as a lower bound).
This says how far it could fall short: from the lowest figure the page shows to the upper limit
of Rcapture's Mth Gamma3.5 (:mod:`lantern.estimation.visibility`, measured in
docs/estimation.md). A sensitivity range beside the figure, never the figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantern.estimation import CaptureTable
from lantern.estimation.visibility import visibility_range
from lantern.monitoring.agreement import Agreement


@dataclass(frozen=True)
class PageRange:
    low: float
    high: float | None  # None: the records set no upper limit under varying visibility
    level: float
    message: str  # the sentence the page shows beside the figure
    method: str  # how the range is made, for the provenance

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "bounded": self.high is not None,
            "level": self.level,
            "message": self.message,
            "method": self.method,
        }


def _whole(value: float) -> str:
    return number_format(round(value), force_grouping=True)


def page_range(table: CaptureTable, agreement: Agreement, level: float) -> PageRange | None:
    """[the page's low, Mth Gamma3.5's high] on the table estimated (all strata together when
    stratified: the range is about the whole count), or None when Gamma3.5 cannot be fitted
    there; the page's lower-bound warning then stands alone. A range without an upper limit
    (small tables: :mod:`lantern.estimation.visibility`) is shown as such. The low is the
    interval's low when the methods agree and the low of their span when they do not: the
    range holds every figure the page shows."""
    found, _warnings = visibility_range([table], agreement.low, agreement.high, level, "")
    if found is None:
        return None
    if found.high is None:
        message = _(
            "If some children are much harder for every agency to find than others, these "
            "records set no upper limit on the number: range under varying visibility, "
            "%(low)s and up."
        ) % {"low": _whole(found.low)}
    else:
        message = _(
            "If some children are much harder for every agency to find than others, the number "
            "could be as high as %(high)s; range under varying visibility: %(low)s–%(high)s "
            "(a range to test the figure against, not a confidence interval)."
        ) % {"low": _whole(found.low), "high": _whole(found.high)}
    method = _(
        "from the lowest figure shown to the %(level)s%% upper "
        "limit of Rcapture's Mth Gamma3.5 model (Rivest and Baillargeon 2007), which lets each "
        "child's chance of being recorded vary, the same way for every agency; in 150 simulated "
        "countries where it varied, the range held the true number in all of them; it does "
        "not correct for agencies that refer children to each other"
    ) % {"level": number_format(round(level * 100))}
    return PageRange(found.low, found.high, level, message, method)
