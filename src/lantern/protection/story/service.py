"""Recording the child's story after intake: the journey, exploitation episodes and the case's
circumstances (vulnerabilities, recruitment, means of control), through the policy layer's
("case", "update") rule; suspected traffickers are in ``actors``.

Every change is kept in the case's history (``history.record_change``) with the reason the
user gives: a reason is asked for whenever something recorded is changed or removed, not to
fill in what was unknown. Records keep the shape ``lantern import`` writes: journey steps and
episodes are numbered 1..n in the order they happened (a dated record goes before the first
later-dated one; unknown dates keep their place), and the case's ``forms_of_exploitation``
always lists every episode's form, with ``primary_form`` the first episode's (or the first
form listed when there is no episode). A form is never dropped from the case because an
episode went: what the child said stays until someone changes the circumstances, with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantern.cases.models import Case, Exploitation, TraffickingEvent
from lantern.cases.services.common import guard
from lantern.edges.fields import taxonomy_label
from lantern.errors import Invalid
from lantern.protection.story import checks
from lantern.protection.story.history import CaseChange, changed, record_change
from lantern.protection.story.records import (
    CASE_FIELDS,
    EPISODE_FIELDS,
    EVENT_FIELDS,
    LIST_FIELDS,
    StoryView,
    case_values,
    episode_values,
    event_values,
    story_view,
)


def story(user: Any, case: Case) -> StoryView:
    """The case's story, for whoever may view the case (else NotFound)."""
    guard(user, case, "view")
    return story_view(case)


def locked(user: Any, case: Case) -> Case:
    """Check ("case", "update") (NotFound outside the user's view, NotAllowed without the
    right), then lock the case's row: numbering and the case's lists change one writer at a
    time. The caller holds the transaction."""
    guard(user, case, "update")
    return Case.objects.select_for_update(of=("self",)).get(pk=case.pk)


def needs_reason(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether a change alters or removes something recorded (filling in a blank does not)."""
    for name, was in before.items():
        now = after.get(name, was)
        if was in (None, "", []) or now == was:
            continue
        if isinstance(was, list) and isinstance(now, list) and set(was) <= set(now):
            continue
        return True
    return False


def _unknown_fields(changes: Mapping[str, Any], allowed: Sequence[str]) -> None:
    extra = sorted(set(changes) - set(allowed))
    if extra:
        raise Invalid(
            _("%(field)s: cannot be changed here.") % {"field": checks.label(extra[0])}, extra[0]
        )


# --- ordering ---------------------------------------------------------------------------------


def _placed[M: (TraffickingEvent, Exploitation)](
    others: list[M], item: M, when: dt.date | None
) -> list[M]:
    """``others`` (in order) with ``item`` put where it happened: before the first record
    dated later; at the end when undated or later than all."""
    at = len(others)
    if when is not None:
        later = [i for i, o in enumerate(others) if (w := _when(o)) is not None and w > when]
        at = later[0] if later else at
    placed = list(others)
    placed.insert(at, item)
    return placed


def _when(row: TraffickingEvent | Exploitation) -> dt.date | None:
    return row.date if isinstance(row, TraffickingEvent) else row.start


def _renumber[M: (TraffickingEvent, Exploitation)](model: type[M], rows: list[M]) -> None:
    """Number ``rows`` 1..n in their order, writing only the ones that moved."""
    moved = []
    for seq, row in enumerate(rows, start=1):
        if row.seq != seq:
            row.seq = seq
            moved.append(row)
    if moved:
        model.objects.bulk_update(moved, ["seq"])


def _siblings[M: (TraffickingEvent, Exploitation)](
    model: type[M], case: Case, but: int | None = None
) -> list[M]:
    rows = model.objects.filter(case=case).order_by("seq", "pk")
    return list(rows.exclude(pk=but) if but is not None else rows)


# --- journey ----------------------------------------------------------------------------------


def _event_clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": checks.code("type", values.get("type"), required=True),
        "date": checks.day("date", values.get("date")),
        "country": checks.code("country", values.get("country")),
        "state": checks.text("state", values.get("state")),
        "city": checks.text("city", values.get("city")),
        "transport": checks.code("transport", values.get("transport")),
        "crossing": checks.code("crossing", values.get("crossing")),
    }


def add_event(
    user: Any, case: Case, values: Mapping[str, Any], reason: str = "", source: str = ""
) -> tuple[TraffickingEvent, CaseChange]:
    """Add a step of the journey (stage, date, place, transport, crossing)."""
    with transaction.atomic():
        case = locked(user, case)
        _unknown_fields(values, EVENT_FIELDS)
        clean = _event_clean(values)
        why = checks.reason(reason, required=False)
        row = TraffickingEvent(case=case, seq=0, **clean)
        rows = _placed(_siblings(TraffickingEvent, case), row, row.date)
        row.seq = rows.index(row) + 1
        row.save()
        _renumber(TraffickingEvent, rows)
        change = record_change(
            user, case, "event.add", why, None, event_values(row), source=source, record_id=row.pk
        )
    return row, change


def _edit[M: (TraffickingEvent, Exploitation)](
    user: Any,
    case: Case,
    model: type[M],
    pk: int,
    changes: Mapping[str, Any],
    *,
    allowed: Sequence[str],
    clean: Callable[[Mapping[str, Any]], dict[str, Any]],
    values: Callable[[M], dict[str, Any]],
    what: str,
    reason: str,
    source: str,
) -> tuple[Case, M, CaseChange | None]:
    """Change the fields given of one of the case's journey steps or episodes (others keep
    their values); re-place it when its date moved. Nothing changed writes nothing."""
    case = locked(user, case)
    row = _own(model, case, pk)
    _unknown_fields(changes, allowed)
    before = values(row)
    after = clean({**before, **changes})
    after_values = {**before, **{k: _iso(v) for k, v in after.items()}}
    if not changed(before, after_values):
        return case, row, None
    why = checks.reason(reason, required=needs_reason(before, after_values))
    for name, value in after.items():
        setattr(row, name, value)
    row.save()
    moved = "date" if "date" in before else "start"
    if before[moved] != after_values[moved]:
        rows = _placed(_siblings(model, case, but=row.pk), row, _when(row))
        _renumber(model, rows)
    change = record_change(
        user, case, what, why, before, after_values, source=source, record_id=row.pk
    )
    return case, row, change


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _own[M: (TraffickingEvent, Exploitation)](model: type[M], case: Case, pk: Any) -> M:
    """The case's own record ``pk``; another case's record answers as missing (Invalid names
    the record, as for any id in a body that names nothing)."""
    row = model.objects.filter(case=case, pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise Invalid(_("This record is not part of this case's story."), "id")
    return row


def edit_event(
    user: Any,
    case: Case,
    event_id: int,
    changes: Mapping[str, Any],
    reason: str = "",
    source: str = "",
) -> tuple[TraffickingEvent, CaseChange | None]:
    with transaction.atomic():
        _case, row, change = _edit(
            user,
            case,
            TraffickingEvent,
            event_id,
            changes,
            allowed=EVENT_FIELDS,
            clean=_event_clean,
            values=event_values,
            what="event.edit",
            reason=reason,
            source=source,
        )
    return row, change


def remove_event(user: Any, case: Case, event_id: int, reason: str, source: str = "") -> CaseChange:
    with transaction.atomic():
        case = locked(user, case)
        row = _own(TraffickingEvent, case, event_id)
        why = checks.reason(reason, required=True)
        before, pk = event_values(row), row.pk
        row.delete()
        _renumber(TraffickingEvent, _siblings(TraffickingEvent, case))
        return record_change(
            user, case, "event.remove", why, before, None, source=source, record_id=pk
        )


# --- exploitation episodes --------------------------------------------------------------------


def _episode_clean(values: Mapping[str, Any]) -> dict[str, Any]:
    start = checks.day("start", values.get("start"))
    end = checks.day("end", values.get("end"))
    checks.period(start, end)
    return {
        "form": checks.code("form", values.get("form"), required=True),
        "isic_section": checks.code("isic_section", values.get("isic_section")),
        "start": start,
        "end": end,
        "country": checks.code("country", values.get("country")),
    }


def _forms_follow_episodes(user: Any, case: Case, why: str, source: str) -> None:
    """Keep the case's forms in step with its episodes: every episode's form listed (added at
    the end, never removed), ``primary_form`` the first episode's. Kept in the history."""
    before: dict[str, Any] = {
        "forms_of_exploitation": list(case.forms_of_exploitation or []),
        "primary_form": case.primary_form,
    }
    episodes = [x.form for x in _siblings(Exploitation, case)]
    forms = list(before["forms_of_exploitation"])
    forms += [f for f in dict.fromkeys(episodes) if f not in forms]
    primary = episodes[0] if episodes else (forms[0] if forms else "")
    after = {"forms_of_exploitation": forms, "primary_form": primary}
    if after == before:
        return
    case.forms_of_exploitation, case.primary_form = forms, primary
    case.save(update_fields=["forms_of_exploitation", "primary_form", "updated_at"])
    record_change(user, case, "case.edit", why, before, after, source=source, note="from_episode")


def add_episode(
    user: Any, case: Case, values: Mapping[str, Any], reason: str = "", source: str = ""
) -> tuple[Exploitation, CaseChange]:
    """Add an exploitation episode; its form joins the case's forms of exploitation."""
    with transaction.atomic():
        case = locked(user, case)
        _unknown_fields(values, EPISODE_FIELDS)
        clean = _episode_clean(values)
        why = checks.reason(reason, required=False)
        row = Exploitation(case=case, seq=0, **clean)
        rows = _placed(_siblings(Exploitation, case), row, row.start)
        row.seq = rows.index(row) + 1
        row.save()
        _renumber(Exploitation, rows)
        change = record_change(
            user,
            case,
            "episode.add",
            why,
            None,
            episode_values(row),
            source=source,
            record_id=row.pk,
        )
        _forms_follow_episodes(user, case, why, source)
    return row, change


def edit_episode(
    user: Any,
    case: Case,
    episode_id: int,
    changes: Mapping[str, Any],
    reason: str = "",
    source: str = "",
) -> tuple[Exploitation, CaseChange | None]:
    with transaction.atomic():
        locked_case, row, change = _edit(
            user,
            case,
            Exploitation,
            episode_id,
            changes,
            allowed=EPISODE_FIELDS,
            clean=_episode_clean,
            values=episode_values,
            what="episode.edit",
            reason=reason,
            source=source,
        )
        if change is not None:
            _forms_follow_episodes(user, locked_case, change.reason, source)
    return row, change


def remove_episode(
    user: Any, case: Case, episode_id: int, reason: str, source: str = ""
) -> CaseChange:
    """Remove an episode; its form stays listed on the case (the history says so)."""
    with transaction.atomic():
        case = locked(user, case)
        row = _own(Exploitation, case, episode_id)
        why = checks.reason(reason, required=True)
        before, pk = episode_values(row), row.pk
        row.delete()
        rest = _siblings(Exploitation, case)
        _renumber(Exploitation, rest)
        kept = before["form"] in (case.forms_of_exploitation or []) and all(
            x.form != before["form"] for x in rest
        )
        change = record_change(
            user,
            case,
            "episode.remove",
            why,
            before,
            None,
            source=source,
            record_id=pk,
            note="form_kept" if kept else "",
        )
        _forms_follow_episodes(user, case, why, source)
        return change


# --- the case's circumstances -----------------------------------------------------------------


def edit_circumstances(
    user: Any, case: Case, changes: Mapping[str, Any], reason: str = "", source: str = ""
) -> tuple[Case, CaseChange | None]:
    """Change the case's vulnerabilities, method of recruitment, means of control, forms of
    exploitation or acts (the fields given). A form an episode has cannot be taken off the
    case while the episode is recorded."""
    with transaction.atomic():
        case = locked(user, case)
        _unknown_fields(changes, CASE_FIELDS)
        before = case_values(case)
        after = dict(before)
        for name, value in changes.items():
            after[name] = (
                checks.codes(name, value) if name in LIST_FIELDS else checks.code(name, value)
            )
        episodes = [x.form for x in _siblings(Exploitation, case)]
        missing = [f for f in episodes if f not in after["forms_of_exploitation"]]
        if missing:
            raise Invalid(
                _(
                    "Forms of exploitation: %(form)s is the form of a recorded episode; "
                    "change or remove the episode first."
                )
                % {"form": taxonomy_label(missing[0], "exploitation_forms")},
                "forms_of_exploitation",
            )
        forms = after["forms_of_exploitation"]
        after["primary_form"] = episodes[0] if episodes else (forms[0] if forms else "")
        if not changed(before, after):
            return case, None
        why = checks.reason(reason, required=needs_reason(before, after))
        for name in (*CASE_FIELDS, "primary_form"):
            setattr(case, name, after[name])
        case.save(update_fields=[*CASE_FIELDS, "primary_form", "updated_at"])
        change = record_change(user, case, "case.edit", why, before, after, source=source)
    return case, change
