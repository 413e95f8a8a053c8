"""How much a linkage run expects it found, by its own model: no truth needed.

Multiple systems estimation lives on the overlaps between agencies' lists, so links a run
misses turn one child into two "children" seen once each and inflate the dark figure. The
truth is never known in production, but the model says what it expects: lambda (the share of
record pairs that match) times all pairs is the number of pairs that belong together, and a
link at probability p is right with probability p. Their ratio is the run's expected recall.
On the simulation it errs either way (expected recall 0.53 against a true 0.45 on
``hardest``, 0.76 against 0.69 on the demo's world, 0.72 against 0.79 on ``south_asia``), so it
is a warning's trigger, not a correction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

#: Below this expected recall an estimate built on the run is flagged as overstated.
WARN_BELOW_RECALL = 0.9


@dataclass(frozen=True, slots=True)
class LinkageQuality:
    """A run's own expectation of its links (from lambda and calibrated probabilities)."""

    records: int
    expected_matching_pairs: float  # lambda x all record pairs
    links: int  # pairs linked (probability at or above the threshold)
    expected_right_links: float  # sum of the links' probabilities

    @property
    def expected_recall(self) -> float:
        """Share of the pairs that belong together that the links are expected to cover."""
        if self.expected_matching_pairs <= 0:
            return 1.0
        return min(1.0, self.expected_right_links / self.expected_matching_pairs)

    @property
    def expected_precision(self) -> float:
        """Share of the links expected to be right."""
        return self.expected_right_links / self.links if self.links else 1.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "expected_recall": round(self.expected_recall, 4),
            "expected_precision": round(self.expected_precision, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkageQuality:
        return cls(
            records=int(data["records"]),
            expected_matching_pairs=float(data["expected_matching_pairs"]),
            links=int(data["links"]),
            expected_right_links=float(data["expected_right_links"]),
        )

    def summary(self) -> str:
        """One sentence for a person: what the run expects it found, and from what."""
        return (
            f"the linkage model expects {self.expected_matching_pairs:,.0f} pairs of records to "
            f"belong to one child; its {self.links:,} links are expected to cover "
            f"{self.expected_recall:.0%} of them, {self.expected_precision:.0%} of the links "
            "right (its own estimate, from lambda and the links' probabilities; on synthetic "
            "data it erred by up to 8 points either way)"
        )


def linkage_quality(
    prior: float, records: int, probabilities: npt.ArrayLike, threshold: float
) -> LinkageQuality:
    """The expectation of a run with match prior ``prior`` over ``records`` records whose
    scored pairs have ``probabilities``; pairs at or above ``threshold`` are its links."""
    p = np.asarray(probabilities, dtype=float)
    linked = p[p >= threshold]
    return LinkageQuality(
        records=records,
        expected_matching_pairs=float(prior) * records * (records - 1) / 2,
        links=int(linked.size),
        expected_right_links=float(linked.sum()),
    )
