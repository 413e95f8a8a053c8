"""Shared test set-up: pure-library tests are marked ``pure`` (the PostgreSQL pass skips them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PURE = {"taxonomy", "screening", "estimation", "simulation", "names", "recordlinkage", "linkage"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        parts = Path(str(item.fspath)).parts
        if "tests" in parts:
            top = parts[parts.index("tests") + 1] if len(parts) > parts.index("tests") + 1 else ""
            if top in PURE and "django_db" not in item.keywords:
                item.add_marker(pytest.mark.pure)


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in French leaves French active in the thread: reset so tests don't leak."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def key_file(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A key file of the test's own (rotation writes it), read afresh before and after."""
    from lantern.vault import keys

    monkeypatch.delenv("LANTERN_KEYS", raising=False)
    settings.LANTERN_KEY_FILE = tmp_path / "keys.json"
    keys.reset_cache()
    yield settings.LANTERN_KEY_FILE
    keys.reset_cache()
