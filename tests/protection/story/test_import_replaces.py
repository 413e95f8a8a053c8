"""A re-import replaces a case's journey, episodes and actors with the file's; what caseworkers
recorded here is kept in the case's history, marked as replaced by the import."""

from __future__ import annotations

from typing import Any

from lantern.protection.story import history, service
from lantern.protection.story.models import CaseChange
from tests import factories
from tests.protection.story.conftest import Cast


def test_a_reimport_keeps_the_caseworkers_steps_in_the_history(cast: Cast, tmp_path: Any) -> None:
    step, _change = service.add_event(
        cast.cw, cast.case, {"type": "transit", "city": "Birgunj", "country": "NPL"}
    )
    before = cast.case.events.count()
    changed_row = factories.record(1, "ngo-one") | {"vic_MethodsOfControl": "PhysicalThreats"}
    factories.import_records([changed_row], tmp_path)

    assert not cast.case.events.filter(pk=step.pk).exists()  # the file's story took its place
    replaced = CaseChange.objects.filter(case=cast.case, what="event.remove", source="import")
    assert replaced.count() == before
    kept = history.read(cast.sup, cast.case, list(history.changes(cast.sup, cast.case)))
    mine = [c for c in kept if c.what == "event.remove" and c.record_id == str(step.pk)]
    assert mine and mine[0].before and mine[0].before["city"] == "Birgunj"


def test_a_reimport_of_an_untouched_case_writes_no_history(cast: Cast, tmp_path: Any) -> None:
    changed_row = factories.record(1, "ngo-one") | {"vic_MethodsOfControl": "PhysicalThreats"}
    factories.import_records([changed_row], tmp_path)
    assert not CaseChange.objects.filter(case=cast.case).exists()
