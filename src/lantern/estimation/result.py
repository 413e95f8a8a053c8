"""The result the command prints and the app will show: a figure with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Interval:
    """A confidence interval for the total (observed + dark figure) and how it was made."""

    level: float
    low: float
    high: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "low": self.low, "high": self.high, "method": self.method}


@dataclass(frozen=True)
class Estimate:
    """A multiple systems estimate with everything needed to say where it came from.

    ``model_terms`` are the interaction terms as tuples of list names (main effects are always
    in); ``model`` renders the model in Rcapture notation and ``model_sparsemse`` in SparseMSE's.
    """

    lists: tuple[str, ...]
    observed: int
    dark_figure: float
    estimate: float
    interval: Interval | None
    model_terms: tuple[tuple[str, ...], ...]
    model: str
    model_sparsemse: str
    minus_infinity: tuple[tuple[str, ...], ...]
    method: str
    settings: dict[str, Any]
    warnings: tuple[str, ...] = ()
    replicates: tuple[float, ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``lantern estimate --json``."""
        return {
            "observed": self.observed,
            "dark_figure": self.dark_figure,
            "estimate": self.estimate,
            "interval": self.interval.to_dict() if self.interval else None,
            "model": {
                "terms": [list(t) for t in self.model_terms],
                "rcapture": self.model,
                "sparsemse": self.model_sparsemse,
                "minus_infinity": [list(t) for t in self.minus_infinity],
            },
            "lists": list(self.lists),
            "method": self.method,
            "settings": dict(self.settings),
            "warnings": list(self.warnings),
            "scope": "people on at least one list plus the estimated number on none, "
            "for the population and period the lists cover; valid only under the model's "
            "assumptions (closed population, correctly linked records)",
        }
