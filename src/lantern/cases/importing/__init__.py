"""The one import path: HTCDS-shaped CSV, JSON, XLSX (and Parquet) into the case model.

``readers`` turns a file into numbered rows, ``rows`` validates one row into a typed record
(or row-level errors), ``loader`` upserts valid records in bulk keyed by agency + source record
id. See docs/record-format.md for the columns.
"""

from lantern.cases.importing.loader import ImportReport, import_file

__all__ = ["ImportReport", "import_file"]
