"""Where the shared reference material is: ``../shared`` beside the clone (as CI lays it)."""

from __future__ import annotations

import os
from pathlib import Path

_BESIDE = Path(__file__).resolve().parents[1].parent / "shared"
SHARED = Path(os.environ.get("LANTERN_SHARED", _BESIDE if _BESIDE.exists() else "/work/shared"))
REFERENCE = SHARED / "reference"
