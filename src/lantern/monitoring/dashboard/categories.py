"""The categories a filter can keep: those present in the mart, each by its label."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb

from lantern.monitoring import mart
from lantern.monitoring.statistics.dimensions import DIMENSIONS, UNKNOWN, dimension

#: UNODC's categories are for the GLOTIP report (English by design), not for the builder.
BUILDER_DIMENSIONS = tuple(n for n in DIMENSIONS if not n.startswith("unodc_"))


@lru_cache(maxsize=4)
def _present(path: Path, built_at: str) -> dict[str, tuple[str, ...]]:
    quoted = path.as_posix().replace("'", "''")
    found: dict[str, tuple[str, ...]] = {}
    con = duckdb.connect()
    try:
        for name in BUILDER_DIMENSIONS:
            d = dimension(name)
            value = f"unnest({d.sql})" if d.multi else d.sql
            rows = con.execute(
                f"SELECT DISTINCT coalesce({value}, '') AS v FROM read_parquet('{quoted}')"
            ).fetchall()
            codes = {str(r[0]) for r in rows} | {UNKNOWN}
            found[name] = tuple(sorted(codes, key=d.sort_key))
    finally:
        con.close()
    return found


def present() -> dict[str, tuple[str, ...]]:
    """Dimension -> the codes found in the last mart build ('' for unknown), in order."""
    info = mart.info()
    if info is None or not info.path.exists():
        return {}
    return _present(info.path, info.built_at)
