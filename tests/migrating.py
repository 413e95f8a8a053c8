"""Moving the test database between migration states, for tests of data migrations (the test
runs with ``django_db(transaction=True)`` and goes back to the latest state after)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets: list[tuple[str, str]]) -> None:
    """Apply or unapply migrations until each app is at its target."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def migrate_to_latest() -> None:
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    migrate_to_latest()
