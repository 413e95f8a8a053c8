"""Migration 0024: phones recorded before the tail index existed get it from their decrypted
values, so the look-up by a number without its country code finds them too."""

from __future__ import annotations

import pytest

from lantern.perpetrators import service
from lantern.perpetrators.models import PerpetratorIdentifier
from tests.migrating import back_to_latest, migrate, migrate_to_latest
from tests.perpetrators.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["back_to_latest"]  # the fixture, used by name


def test_phones_recorded_before_get_their_tail_index(world: World, back_to_latest: None) -> None:
    sup = world.users["supervisor"]
    row = world.record_of("ngo-one", "UNCLE")
    service.add_identifiers(sup, row, [("phone", "+977 984-123 4567"), ("name", "Ram Thapa")])
    migrate([("cases", "0023_netwire")])  # the store as it was: no tail index
    migrate_to_latest()
    tails = dict(PerpetratorIdentifier.objects.values_list("kind", "tail_index"))
    assert tails["name"] == "" and len(tails["phone"]) == 40
    assert [r.id for r in service.register(sup, phone="9841234567")] == [row.pk]
