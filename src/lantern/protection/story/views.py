"""The Story page (the journey, episodes, suspected traffickers and circumstances, with their
forms) and the History page of a case.

Every form posts to the Story page, naming itself (``form``) and the record it acts on
(``row``): parse it, call one service, then back to the same section with a confirmation; or
the page again, the form open with what was typed and the service's reason beside the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lantern.accounts import policy
from lantern.audit.services import request_source
from lantern.cases import queries
from lantern.cases.models import Case
from lantern.edges.decorators import verified_required
from lantern.edges.errors import show_error
from lantern.edges.paging import BoundedPaginator
from lantern.edges.typing import AuthedRequest
from lantern.errors import ProtectionError
from lantern.protection.story import actors, checks, history, service
from lantern.protection.story.forms import (
    ActorEditForm,
    ActorForm,
    CircumstancesForm,
    EpisodeForm,
    EventForm,
    RemoveForm,
    StoryForm,
)

Act = Callable[[Any, Case, int, StoryForm, str], Any]


@dataclass(frozen=True)
class Action:
    """One form of the Story page: the section it sits in and the one service it calls."""

    form: type[StoryForm]
    section: str
    act: Act
    done: Promise


ACTIONS: dict[str, Action] = {
    "event_add": Action(
        EventForm,
        "journey",
        lambda u, c, r, f, s: service.add_event(u, c, f.values(), f.why, s),
        gettext_lazy("Journey step added."),
    ),
    "event_edit": Action(
        EventForm,
        "journey",
        lambda u, c, r, f, s: service.edit_event(u, c, r, f.values(), f.why, s),
        gettext_lazy("Journey step saved."),
    ),
    "event_remove": Action(
        RemoveForm,
        "journey",
        lambda u, c, r, f, s: service.remove_event(u, c, r, f.why, s),
        gettext_lazy("Journey step removed."),
    ),
    "episode_add": Action(
        EpisodeForm,
        "episodes",
        lambda u, c, r, f, s: service.add_episode(u, c, f.values(), f.why, s),
        gettext_lazy("Exploitation episode added."),
    ),
    "episode_edit": Action(
        EpisodeForm,
        "episodes",
        lambda u, c, r, f, s: service.edit_episode(u, c, r, f.values(), f.why, s),
        gettext_lazy("Exploitation episode saved."),
    ),
    "episode_remove": Action(
        RemoveForm,
        "episodes",
        lambda u, c, r, f, s: service.remove_episode(u, c, r, f.why, s),
        gettext_lazy("Exploitation episode removed."),
    ),
    "actor_add": Action(
        ActorForm,
        "actors",
        lambda u, c, r, f, s: actors.add_actor(u, c, f.values(), f.why, s),
        gettext_lazy("Suspected trafficker added."),
    ),
    "actor_edit": Action(
        ActorEditForm,
        "actors",
        lambda u, c, r, f, s: actors.edit_actor(u, c, r, f.values(), f.why, s),
        gettext_lazy("Suspected trafficker saved."),
    ),
    "actor_remove": Action(
        RemoveForm,
        "actors",
        lambda u, c, r, f, s: actors.remove_actor(u, c, r, f.why, s),
        gettext_lazy("Suspected trafficker taken off the case."),
    ),
    "circumstances": Action(
        CircumstancesForm,
        "circumstances",
        lambda u, c, r, f, s: service.edit_circumstances(u, c, f.values(), f.why, s),
        gettext_lazy("Circumstances saved."),
    ),
}


def _row_id(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


def _forms(
    can_update: bool, story: Any, bound: tuple[str, str, StoryForm] | None
) -> dict[str, Any]:
    """Every form of the page, fresh or (the one posted) bound with what was typed."""
    if not can_update:
        return {}
    posted = {f"{bound[0]}{bound[1]}": bound[2]} if bound else {}

    def form(name: str, row: object = "", initial: dict[str, Any] | None = None) -> StoryForm:
        key = f"{name}{row}"
        return posted.get(key) or ACTIONS[name].form(initial=initial, prefix=key)

    return {
        "event_add": form("event_add"),
        "episode_add": form("episode_add"),
        "actor_add": form("actor_add"),
        "circumstances": form("circumstances", initial=asdict(story.circumstances)),
        "event_edit": {e.id: form("event_edit", e.id, asdict(e)) for e in story.events},
        "event_remove": {e.id: form("event_remove", e.id) for e in story.events},
        "episode_edit": {x.id: form("episode_edit", x.id, asdict(x)) for x in story.episodes},
        "episode_remove": {x.id: form("episode_remove", x.id) for x in story.episodes},
        "actor_edit": {a.id: form("actor_edit", a.id, asdict(a)) for a in story.actors},
        "actor_remove": {a.id: form("actor_remove", a.id) for a in story.actors},
    }


def _context(
    request: AuthedRequest, case: Case, bound: tuple[str, str, StoryForm] | None = None
) -> dict[str, Any]:
    user = request.user
    story = service.story(user, case)
    can_update = policy.case_allows(user, "update", case)
    f = _forms(can_update, story, bound)
    posted = f"{bound[0]}{bound[1]}" if bound else ""

    def rows(items: list[Any], kind: str) -> list[dict[str, Any]]:
        return [
            {
                "v": item,
                "edit": f.get(f"{kind}_edit", {}).get(item.id),
                "remove": f.get(f"{kind}_remove", {}).get(item.id),
                "open_edit": posted == f"{kind}_edit{item.id}",
                "open_remove": posted == f"{kind}_remove{item.id}",
            }
            for item in items
        ]

    stated = [
        form
        for form in story.circumstances.forms_of_exploitation
        if all(x.form != form for x in story.episodes)
    ]
    return {
        "case": case,
        "story": story,
        "events": rows(story.events, "event"),
        "episodes": rows(story.episodes, "episode"),
        "actors": rows(story.actors, "actor"),
        "crossings": {k: str(v) for k, v in checks.CROSSINGS.items()},
        "stated_forms": stated,
        "f": f,
        "can_update": can_update,
        "open": posted,
    }


@verified_required
@require_http_methods(["GET", "POST"])
def case_story(request: AuthedRequest, case_id: int) -> HttpResponse:
    """GET: the story and its forms. POST: one named form -> one service call -> back to its
    section with a confirmation, or the page again with what was typed and the reason."""
    user = request.user
    case = queries.get_case(user, case_id, "view")
    if request.method == "GET":
        return render(request, "web/story/story.html", _context(request, case))
    name, row = str(request.POST.get("form", "")), str(request.POST.get("row", ""))
    action = ACTIONS.get(name)
    if action is None:
        raise Http404
    form = action.form(request.POST, prefix=f"{name}{row}")
    status = 400
    if form.is_valid():
        try:
            result = action.act(user, case, _row_id(row), form, request_source(request))
        except ProtectionError as exc:
            status = show_error(form, exc)
        else:
            _confirm(request, action, result)
            return redirect(reverse("web:case_story", args=[case.pk]) + "#" + action.section)
    context = _context(request, case, (name, row, form))
    context["error_section"] = action.section
    return render(request, "web/story/story.html", context, status=status)


def _confirm(request: AuthedRequest, action: Action, result: Any) -> None:
    """The confirmation, shown at the top and again in the section the page returns to."""
    change = result[1] if isinstance(result, tuple) else result
    where = f"story-{action.section}"
    if change is None:
        messages.info(request, _("Nothing was changed."), extra_tags=where)
        return
    messages.success(request, str(action.done), extra_tags=where)
    if getattr(change, "note", "") == "form_kept":
        messages.info(request, str(history.NOTES["form_kept"]), extra_tags=where)


# --- history ----------------------------------------------------------------------------------


def _source(source: str) -> str:
    kind, _sep, ident = source.partition(" ")
    if kind == "screening":
        return _("screening %(id)s") % {"id": ident}
    return {"web": _("page"), "api": _("API")}.get(source, source)


def _lines(change: history.Change) -> list[dict[str, str]]:
    """Field by field, before and after, as the reader sees them (codes as labels)."""
    names = change.fields or sorted({*(change.before or {}), *(change.after or {})})
    before, after = change.before or {}, change.after or {}
    return [
        {
            "field": checks.label(n),
            "before": checks.shown(n, before.get(n)),
            "after": checks.shown(n, after.get(n)),
        }
        for n in names
    ]


@verified_required
def case_history(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Every change to the case's story, newest first: who, when, why, before and after (each
    as the reader's tier allows); the read is audited."""
    user = request.user
    case = queries.get_case(user, case_id, "view")
    paginator = BoundedPaginator(history.changes(user, case), 50, request.GET.get("page"))
    page = paginator.get_page(request.GET.get("page"))
    read = history.read(user, case, list(page), request_source(request))
    entries = [
        {
            "c": c,
            "at": dt.datetime.fromisoformat(c.at),
            "what": history.describe(c.what),
            "source": _source(c.source),
            "note": str(history.NOTES.get(c.note, "")),
            "lines": _lines(c) if c.before is not None or c.after is not None else [],
        }
        for c in read
    ]
    return render(
        request,
        "web/story/history.html",
        {"case": case, "page": page, "total": paginator.total, "entries": entries},
    )
