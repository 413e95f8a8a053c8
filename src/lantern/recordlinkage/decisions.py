"""The review queue: uncertain pairs a person confirms or splits, and decisions later runs keep.

A decisions table has one row per reviewed pair: ``agency_l``, ``source_record_id_l``,
``agency_r``, ``source_record_id_r`` and ``decision`` (``same`` or ``different``). Later runs
read it back and :func:`lantern.recordlinkage.clusters.cluster_records` forces those links and
splits whatever the model scores. The store-side queue (who reviewed, when) will keep the
same columns.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lantern.recordlinkage.clusters import Decision
from lantern.recordlinkage.schema import RecordFormatError

DECISION_COLUMNS: tuple[str, ...] = (
    "agency_l",
    "source_record_id_l",
    "agency_r",
    "source_record_id_r",
    "decision",
)


def decisions_from_frame(frame: pd.DataFrame) -> list[Decision]:
    """Decisions from a table with :data:`DECISION_COLUMNS`; bad rows raise a clear error."""
    missing = [column for column in DECISION_COLUMNS if column not in frame.columns]
    if missing:
        raise RecordFormatError(f"decisions: missing column(s) {', '.join(missing)}")
    decisions: list[Decision] = []
    for row_number, row in enumerate(frame[list(DECISION_COLUMNS)].itertuples(index=False), 1):
        agency_l, record_l, agency_r, record_r, value = (
            "" if pd.isna(v) else str(v).strip() for v in row
        )
        if not all((agency_l, record_l, agency_r, record_r)):
            raise RecordFormatError(f"decisions row {row_number}: a record key is blank")
        if value not in ("same", "different"):
            raise RecordFormatError(
                f"decisions row {row_number}: decision must be 'same' or 'different', got {value!r}"
            )
        decisions.append(
            Decision(f"{agency_l}|{record_l}", f"{agency_r}|{record_r}", value)  # type: ignore[arg-type]
        )
    return decisions


def read_decisions(path: Path) -> list[Decision]:
    """Decisions from a CSV or Parquet file."""
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return decisions_from_frame(frame)


def review_queue(pairs: pd.DataFrame) -> pd.DataFrame:
    """Pairs in the uncertain band that no one has decided yet, most uncertain first."""
    queue = pairs[(pairs["band"] == "review") & pairs["decision"].isna()].copy()
    queue["uncertainty"] = (queue["match_probability"] - 0.5).abs()
    return queue.sort_values("uncertainty").drop(columns="uncertainty").reset_index(drop=True)
