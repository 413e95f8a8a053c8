"""Row errors' reasons: English where they are made (the command, tests, the CSV), and in the
reader's language wherever a page shows them later."""

from __future__ import annotations

import json

from django.utils import translation

from lantern.cases.importing.reasons import NOTHING, Reason, did_you_mean, render, stored
from lantern.cases.importing.rows import parse_row


def test_a_reason_is_its_english_text_and_keeps_what_it_was_made_of() -> None:
    reason = Reason("%(value)s is not a number", value=repr("ten"))
    assert reason == "'ten' is not a number" and isinstance(reason, str)
    assert reason.template == "%(value)s is not a number" and reason.params == {"value": "'ten'"}
    with translation.override("fr"):
        assert reason.translated() == "'ten' n’est pas un nombre"


def test_a_hint_is_translated_with_the_reason_it_follows() -> None:
    reason = Reason("unknown column%(hint)s", hint=did_you_mean("prs_Gender"))
    assert reason == "unknown column; did you mean prs_Gender?"
    kept = json.loads(json.dumps(stored(reason)))  # as a job keeps it
    with translation.override("es"):
        assert render(kept) == "columna desconocida; ¿quiso decir prs_Gender?"
    nothing = Reason("unknown column%(hint)s", hint=NOTHING)
    with translation.override("fr"):
        assert render(stored(nothing)) == "colonne inconnue"  # never the catalogue's header


def test_a_reason_kept_as_plain_text_is_shown_as_it_is() -> None:
    with translation.override("fr"):
        assert render("a reason an older job kept") == "a reason an older job kept"


def test_the_rows_reasons_are_reasons() -> None:
    errors = parse_row(1, {"agency": "ngo-one", "cas_RegistrationDate": "soon"})
    assert isinstance(errors, list)
    by_field = {e.field: e.reason for e in errors}
    assert by_field["source_record_id"] == "required"
    assert by_field["cas_RegistrationDate"] == "'soon' is not a date (YYYY, YYYY-MM, YYYY-MM-DD)"
    with translation.override("fr"):
        assert [render(stored(e.reason)) for e in errors if e.field == "source_record_id"] == [
            "obligatoire"
        ]
