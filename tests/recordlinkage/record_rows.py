"""Small record-format frames for preparation tests: one agency, one registration day."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def record_frame(**columns: Sequence[object]) -> pd.DataFrame:
    """Rows of the given columns, with the required keys filled in (police, r0.., 2024-07-01)."""
    size = len(next(iter(columns.values())))
    base: dict[str, Sequence[object]] = {
        "agency": ["police"] * size,
        "source_record_id": [f"r{i}" for i in range(size)],
        "cas_RegistrationDate": ["2024-07-01"] * size,
    }
    base.update(columns)
    return pd.DataFrame(base)
