"""Migration 0024: phones recorded before the tail index existed get it from their decrypted
values, so the look-up by a number without its country code finds them too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lantern.perpetrators import service
from lantern.perpetrators.models import PerpetratorIdentifier
from tests.perpetrators.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_phones_recorded_before_get_their_tail_index(world: World, back_to_latest: None) -> None:
    sup = world.users["supervisor"]
    row = world.record_of("ngo-one", "UNCLE")
    service.add_identifiers(sup, row, [("phone", "+977 984-123 4567"), ("name", "Ram Thapa")])
    _migrate([("cases", "0023_netwire")])  # the store as it was: no tail index
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    tails = dict(PerpetratorIdentifier.objects.values_list("kind", "tail_index"))
    assert tails["name"] == "" and len(tails["phone"]) == 40
    assert [r.id for r in service.register(sup, phone="9841234567")] == [row.pk]
