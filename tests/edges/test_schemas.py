"""An answer built from a service's record (``edges.schemas.out_of``) carries exactly the
record's fields, with its types and defaults, and refuses any other (issue #20: one declaration
per thing)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pydantic
import pytest

from lantern.cases.screening_api import ChecklistItemOut
from lantern.cases.screening_i18n import LocalChecklistItem
from lantern.edges.schemas import out_of
from lantern.protection.intake.schemas import MatchOut
from lantern.protection.intake.service import Match


@dataclasses.dataclass(frozen=True)
class _Record:
    """A record."""

    when: dt.date
    count: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


def test_an_answer_has_the_records_fields_types_and_defaults() -> None:
    schema = out_of(_Record, "RecordOut")
    assert list(schema.model_fields) == ["when", "count", "tags"]
    assert schema.__doc__ == "A record."
    out = schema.model_validate(dataclasses.asdict(_Record(dt.date(2024, 1, 2))))
    assert out.model_dump() == {"when": dt.date(2024, 1, 2), "count": 0, "tags": []}
    with pytest.raises(pydantic.ValidationError):
        schema.model_validate({"count": 1})  # ``when`` has no default
    with pytest.raises(pydantic.ValidationError, match="extra"):
        schema.model_validate({"when": "2024-01-02", "secret": "x"})


@pytest.mark.parametrize(
    ("schema", "record"), [(MatchOut, Match), (ChecklistItemOut, LocalChecklistItem)]
)
def test_the_api_answers_are_their_records(schema: type, record: type) -> None:
    assert list(schema.model_fields) == [f.name for f in dataclasses.fields(record)]
    assert schema.model_config["extra"] == "forbid"
