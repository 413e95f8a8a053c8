"""Search before create by record linkage: the same child written in another script is found."""

from __future__ import annotations

import pytest

from lantern.cases.models import Case
from tests.protection.conftest import child, post, transit_body

pytestmark = pytest.mark.django_db


def test_a_child_registered_in_latin_is_found_when_written_in_devanagari(client, world):
    cw = world.h("cw")
    first = post(client, "/intake/transit-reception", transit_body(), cw)
    assert first.status_code == 201
    again = transit_body(child=child(given_name="माया", family_name="तामाङ", identity_number=""))
    res = post(client, "/intake/transit-reception", again, cw)
    assert res.status_code == 409, res.content
    (match,) = res.json()["matches"]
    assert match["case_id"] == first.json()["id"]
    assert match["basis"].startswith("record linkage, probability")
    assert Case.objects.count() == 1


def test_a_different_child_with_a_different_name_is_not_held_up(client, world):
    cw = world.h("cw")
    assert post(client, "/intake/transit-reception", transit_body(), cw).status_code == 201
    other = transit_body(
        child=child(
            given_name="Dawa", family_name="Sherpa", birthdate="2009-11-20", identity_number=""
        )
    )
    assert post(client, "/intake/transit-reception", other, cw).status_code == 201
