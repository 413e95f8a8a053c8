"""One figure, one message: do the methods (and the linkage, and the strata) agree?

The page shows the recommended method's figure. Beside it, the other cheap estimators, the
unstratified total when the figure is a sum of strata, and the figure with the uncertain links
accepted. When their intervals all overlap, the figure's own interval stands; when some do not,
the page says the methods disagree and shows the range they span, never a narrow interval that
hides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: What each method does, for a reader who is not a statistician.
PLAIN: dict[str, Promise] = {
    "dga": gettext_lazy(
        "Model averaging: the agencies' lists may depend on each other (one refers children to "
        "another) in many possible ways; each way is weighed by how well it fits the overlaps, "
        "and the figure averages over all of them."
    ),
    "lcmcr": gettext_lazy(
        "Latent classes: some children are much harder for every agency to find than others; "
        "the model lets hidden groups of children differ in how visible they are, and counts "
        "the hard-to-find groups from the children it did see."
    ),
    "stepwise": gettext_lazy(
        "Stepwise log-linear model: it adds, one by one, the dependences between two lists "
        "that the overlaps show clearly. It assumes every child is as easy to find as any other."
    ),
    "main": gettext_lazy(
        "Independent lists: it assumes the agencies find children independently of each other "
        "and every child is as easy to find as any other."
    ),
}


#: Each method's short name, where the page names it (a figure's row, a message); the codes
#: (``dga``, ``stepwise``) stay in the API's ``method`` and on the command line.
NAMES: dict[str, Promise] = {
    "dga": gettext_lazy("model averaging"),
    "lcmcr": gettext_lazy("latent classes"),
    "stepwise": gettext_lazy("stepwise log-linear"),
    "main": gettext_lazy("independent lists"),
    "aic": gettext_lazy("minimum AIC"),
    "bic": gettext_lazy("minimum BIC"),
    "aic-stepwise": gettext_lazy("AIC stepwise"),
    "fixed": gettext_lazy("fixed log-linear model"),
}


def method_name(method: str) -> str:
    """The method's name in the reader's language (the code itself for one not named)."""
    return str(NAMES.get(method, method))


@dataclass(frozen=True)
class Figure:
    """One way of getting the number: a method, the unstratified total, or looser links."""

    label: str
    estimate: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "estimate": self.estimate, "low": self.low, "high": self.high}


@dataclass(frozen=True)
class Agreement:
    """Whether the figures agree, the range to show, and the page's one message."""

    agree: bool
    low: float
    high: float
    figures: tuple[Figure, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "agree": self.agree,
            "low": self.low,
            "high": self.high,
            "figures": [f.to_dict() for f in self.figures],
            "message": self.message,
        }


def _whole(value: float) -> str:
    return number_format(round(value), force_grouping=True)


def judge(main: Figure, others: Sequence[Figure], level: float) -> Agreement:
    """Agreement when every interval overlaps every other (a point counts as its own
    interval); otherwise the range of all of them, said in one message."""
    figures = (main, *others)
    agree = max(f.low for f in figures) <= min(f.high for f in figures)
    percent = number_format(round(level * 100))
    if agree:
        message = _(
            "The methods agree: about %(estimate)s children, between %(low)s and %(high)s "
            "(%(level)s%% interval)."
        ) % {
            "estimate": _whole(main.estimate),
            "low": _whole(main.low),
            "high": _whole(main.high),
            "level": percent,
        }
        return Agreement(True, main.low, main.high, figures, message)
    low, high = min(f.low for f in figures), max(f.high for f in figures)
    named = "; ".join(f"{f.label}: {_whole(f.estimate)}" for f in figures)
    message = _(
        "The methods disagree beyond their intervals (%(figures)s). The number of children lies "
        "somewhere between %(low)s and %(high)s; read that range, not a single number."
    ) % {"figures": named, "low": _whole(low), "high": _whole(high)}
    return Agreement(False, low, high, figures, message)
