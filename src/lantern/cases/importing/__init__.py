"""The one import path: HTCDS-shaped CSV, JSON, XLSX (and Parquet) into the case model.

``readers`` turns a file into numbered rows, ``rows`` validates one row into a typed record
(or row-level errors), ``loader`` upserts valid records in bulk keyed by agency + source record
id. See docs/record-format.md for the columns.

The loader is imported when first asked for, not with the package: the models (import jobs
keep their row errors as ``reasons``) import parts of this package, and the loader imports the
models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lantern.cases.importing.loader import ImportReport, import_file

__all__ = ["ImportReport", "import_file"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from lantern.cases.importing import loader

        return getattr(loader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
