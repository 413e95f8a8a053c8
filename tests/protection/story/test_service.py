"""Recording the story after intake: the policy's ("case", "update") rule, numbering and the
case's forms kept in step with the episodes, the history of every change, and the screening's
write-back with its provenance."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection

from lantern.audit.models import AuditEntry
from lantern.cases.models import Actor, ActorRole, Case, Exploitation, TraffickingEvent
from lantern.cases.screening_services import screen_case
from lantern.errors import Invalid, NotAllowed, NotFound, Refused
from lantern.protection.story import actors, history, service
from lantern.protection.story.models import CaseChange
from tests.protection.story.conftest import Cast

pytestmark = pytest.mark.django_db

STEP = {"type": "transit", "date": "2024-02-01", "country": "IND", "city": "Raxaul"}


def _seqs(case: Case) -> list[tuple[str, int]]:
    return [(e.city, e.seq) for e in case.events.order_by("seq")]


def test_a_caseworker_of_the_team_adds_a_step_in_the_order_it_happened(cast: Cast) -> None:
    case = cast.case
    before = list(case.events.order_by("seq").values_list("date", flat=True))
    early = before[0] - dt.timedelta(days=5)
    row, change = service.add_event(
        cast.cw, case, {**STEP, "date": early, "transport": "Bus"}, source="web 127.0.0.1"
    )
    assert row.seq == 1 and row.transport == "bus"  # the list's spelling, whatever was typed
    assert [s for _, s in _seqs(case)] == [1, 2, 3, 4]
    undated, _change = service.add_event(cast.cw, case, {"type": "exploitation"})
    assert undated.seq == 5
    assert change.what == "event.add" and change.by == cast.cw and change.source == "web"
    assert json.loads(change.after)["date"] == early.isoformat() and change.before == ""


def test_another_team_another_agency_and_other_roles_are_refused(cast: Cast) -> None:
    for outsider in (cast.other_team, cast.other_agency, cast.auditor, cast.analyst):
        with pytest.raises(NotFound):
            service.add_event(outsider, cast.case, STEP)
        with pytest.raises(NotFound):
            service.story(outsider, cast.case)
    with pytest.raises(NotAllowed):  # views the case, may not change it
        service.add_event(cast.admin, cast.case, STEP)
    assert service.story(cast.admin, cast.case).events  # but reads it
    assert not CaseChange.objects.exists() and cast.case.events.count() == 3


def test_bad_codes_are_refused_in_the_users_words(cast: Cast) -> None:
    with pytest.raises(Invalid) as bad:
        service.add_event(cast.cw, cast.case, {"type": "teleport"})
    assert bad.value.field == "type" and "Stage" in bad.value.reason
    with pytest.raises(Invalid) as bad:
        service.add_event(cast.cw, cast.case, {"type": "transit", "country": "Atlantis"})
    assert bad.value.field == "country" and "is not one of the choices" in bad.value.reason
    with pytest.raises(Invalid) as bad:
        service.add_event(cast.cw, cast.case, {"type": "transit", "date": dt.date(2999, 1, 1)})
    assert "future" in bad.value.reason
    with pytest.raises(Invalid) as bad:
        service.add_episode(
            cast.cw,
            cast.case,
            {"form": "forced_begging", "start": "2024-03-01", "end": "2024-01-01"},
        )
    assert bad.value.field == "end"
    assert cast.case.events.count() == 3 and not CaseChange.objects.exists()


def test_changing_what_was_recorded_needs_a_reason_filling_a_blank_does_not(cast: Cast) -> None:
    case = cast.case
    step = case.events.order_by("seq")[1]  # transit, Raxaul, bus, illegal
    with pytest.raises(Invalid) as bad:
        service.edit_event(cast.cw, case, step.pk, {"transport": "truck"})
    assert bad.value.field == "reason"
    first = case.events.order_by("seq")[0]  # no transport recorded
    _row, change = service.edit_event(cast.cw, case, first.pk, {"transport": "foot"})
    assert change is not None and change.fields == ["transport"] and change.reason == ""
    row, change = service.edit_event(
        cast.cw, case, step.pk, {"transport": "truck"}, reason="The child corrected it"
    )
    assert row.transport == "truck" and change is not None
    assert json.loads(change.before)["transport"] == "bus"
    assert json.loads(change.after)["transport"] == "truck"
    assert change.reason == "The child corrected it"
    _row, nothing = service.edit_event(cast.cw, case, step.pk, {"transport": "truck"})
    assert nothing is None  # nothing changed: nothing kept
    with pytest.raises(Invalid):
        service.remove_event(cast.cw, case, step.pk, reason="")
    service.remove_event(cast.cw, case, step.pk, reason="Entered twice")
    assert [s for _, s in _seqs(case)] == [1, 2]


def test_a_record_of_another_case_is_not_part_of_this_story(cast: Cast, tmp_path) -> None:
    from tests import factories

    factories.import_records([factories.record(7, "ngo-one")], tmp_path)
    other = Case.objects.exclude(pk=cast.case.pk).get()
    theirs = other.events.first()
    with pytest.raises(Invalid):
        service.edit_event(cast.cw, cast.case, theirs.pk, {"city": "X"}, reason="probe")
    with pytest.raises(Invalid):
        service.remove_event(cast.cw, cast.case, theirs.pk, reason="probe")
    assert TraffickingEvent.objects.filter(pk=theirs.pk).exists()


def test_the_case_forms_follow_the_episodes(cast: Cast) -> None:
    case = cast.case
    assert case.forms_of_exploitation == ["sexual_exploitation", "forced_labour"]
    row, _change = service.add_episode(
        cast.cw, case, {"form": "forced_begging", "start": "2000-01-01", "country": "NPL"}
    )
    case.refresh_from_db()
    assert row.seq == 1  # it began before the imported episode
    assert case.forms_of_exploitation == ["sexual_exploitation", "forced_labour", "forced_begging"]
    assert case.primary_form == "forced_begging"
    derived = CaseChange.objects.get(what="case.edit")
    assert derived.note == "from_episode" and derived.fields == [
        "forms_of_exploitation",
        "primary_form",
    ]
    with pytest.raises(Invalid) as bad:  # an episode's form cannot leave the case's list
        service.edit_circumstances(
            cast.cw, case, {"forms_of_exploitation": ["forced_labour"]}, reason="x"
        )
    assert "Forced begging" in bad.value.reason  # the first episode's form, by its label
    change = service.remove_episode(cast.cw, case, row.pk, reason="Not what happened")
    case.refresh_from_db()
    assert change.note == "form_kept" and "forced_begging" in case.forms_of_exploitation
    assert case.primary_form == "sexual_exploitation"  # the remaining first episode's
    assert list(Exploitation.objects.filter(case=case).values_list("seq", flat=True)) == [1]


def test_circumstances_are_checked_and_kept(cast: Cast) -> None:
    case = cast.case
    _c, change = service.edit_circumstances(
        cast.cw,
        case,
        {"vulnerabilities": ["poverty"], "method_of_recruitment": "throughfamilyorfamilyevents"},
    )
    case.refresh_from_db()
    assert case.vulnerabilities == ["poverty"]
    assert case.method_of_recruitment == "ThroughFamilyOrFamilyEvents"
    assert change is not None and change.reason == ""  # filled in: no reason needed
    with pytest.raises(Invalid) as bad:
        service.edit_circumstances(cast.cw, case, {"methods_of_control": ["Hypnosis"]})
    assert bad.value.field == "methods_of_control" and "Means of control" in bad.value.reason
    with pytest.raises(Invalid) as bad:  # removing a means of control recorded: why?
        service.edit_circumstances(cast.cw, case, {"methods_of_control": ["DebtBondage"]})
    assert bad.value.field == "reason"


def test_actors_link_the_agencys_person_and_refuse_a_repeat(cast: Cast) -> None:
    case = cast.case
    row, change = actors.add_actor(
        cast.cw, case, {"role": "Transporter", "relationship": "Unaquainted", "network_ref": "N9"}
    )
    assert row.actor.ref.startswith("P-") and row.role == "transporter"
    assert json.loads(change.after)["network_ref"] == "N9"
    linked, _ = actors.add_actor(cast.cw, case, {"ref": "A1", "role": "exploiter"})
    assert linked.actor == Actor.objects.get(agency=case.agency, ref="A1")  # the imported one
    with pytest.raises(Refused):
        actors.add_actor(cast.cw, case, {"ref": "A1", "role": "exploiter"})
    with pytest.raises(Invalid) as bad:
        actors.add_actor(cast.cw, case, {"role": "wizard"})
    assert bad.value.field == "role"
    _row, change = actors.edit_actor(
        cast.cw, case, row.pk, {"relationship": "Familial"}, reason="An uncle, she says"
    )
    assert change is not None and change.fields == ["relationship"]
    actors.remove_actor(cast.cw, case, row.pk, reason="Mistaken identity")
    assert not ActorRole.objects.filter(pk=row.pk).exists()
    assert Actor.objects.filter(pk=row.actor_id).exists()  # the agency's person stays


def test_history_is_read_by_case_viewers_with_values_by_tier_and_audited(cast: Cast) -> None:
    case = cast.case
    service.add_event(cast.cw, case, STEP, reason="Told at the second interview")
    rows = list(history.changes(cast.sup, case))
    seen = history.read(cast.sup, case, rows, "web 10.0.0.1")
    assert seen[0].reason == "Told at the second interview" and seen[0].after["city"] == "Raxaul"
    admin = history.read(cast.admin, case, rows)  # views the case; reasons are sensitive
    assert admin[0].reason is None and admin[0].withheld == ["reason"]
    assert admin[0].after is not None  # journey values are standard-tier
    assert (
        AuditEntry.objects.filter(
            action="view", resource="case", record_id=case.reference, reason="history: 1 changes"
        ).count()
        == 2
    )
    for outsider in (cast.other_team, cast.other_agency, cast.auditor, cast.analyst):
        with pytest.raises(NotFound):
            history.changes(outsider, case)


def test_the_history_keeps_values_and_reasons_encrypted(cast: Cast) -> None:
    service.add_event(cast.cw, cast.case, STEP, reason="Told by the child")
    with connection.cursor() as cur:
        cur.execute("SELECT before, after, reason FROM cases_casechange")
        raw = " ".join(str(v) for v in cur.fetchone())
    assert "Raxaul" not in raw and "Told by the child" not in raw


def test_record_change_for_other_records_names_their_tier(cast: Cast) -> None:
    """The notes helper's entry point: a case note's text is read at the highly sensitive
    tier; an agency administrator sees that it changed, not what it said."""
    from lantern.accounts.policy import Tier

    change = history.record_change(
        cast.cw,
        cast.case,
        "note.add",
        "",
        None,
        {"text": "She cried when she spoke of the kiln"},
        source="web 1.2.3.4",
        record_id=12,
        tier=Tier.HIGHLY_SENSITIVE,
    )
    assert change.fields == ["text"] and change.source == "web"
    shown = history.view(cast.admin, change)
    assert shown.after is None and shown.withheld == ["before", "after", "reason"]
    assert history.view(cast.sup, change).after == {"text": "She cried when she spoke of the kiln"}
    assert history.describe("note.add") == "Case note: added"
    entry = AuditEntry.objects.filter(resource="case", action="update").last()
    assert entry.reason == f"note.add 12: change {change.pk}" and entry.fields == ["note.text"]


def test_screening_writes_what_it_established_back_adding_only(cast: Cast) -> None:
    case = cast.case
    service.edit_circumstances(cast.cw, case, {"acts": ["harbouring"]})
    answers = {
        "age": {"years": 14, "basis": "stated"},
        "acts": ["recruitment", "transportation"],
        "purposes": ["forced_begging", "forced_services", "sexual_exploitation"],
    }
    row = screen_case(cast.cw, case, answers, source="web 127.0.0.1")
    case.refresh_from_db()
    assert case.forms_of_exploitation == [
        "sexual_exploitation",
        "forced_labour",
        "forced_begging",
    ]
    assert case.acts == ["harbouring", "recruitment", "transportation"]
    change = CaseChange.objects.filter(case=case).latest("id")
    assert change.source == f"screening {row.pk}" and change.note == "screening_adds"
    assert json.loads(change.before)["acts"] == ["harbouring"]
    assert sorted(change.fields) == ["acts", "forms_of_exploitation"]
    screen_case(cast.cw, case, answers)  # the same findings again: nothing new to keep
    assert CaseChange.objects.filter(case=case, note="screening_adds").count() == 1
