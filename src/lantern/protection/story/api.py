"""Story endpoints: the journey, exploitation episodes, suspected traffickers and the case's
circumstances, each added, changed or removed with a reason, and the case's history."""

# No postponed annotations here: @paginate wraps the history view, and ninja reads the
# wrapper's signature with the pagination module's globals.

from dataclasses import asdict
from typing import Any

from ninja import Router, Status
from ninja.pagination import paginate

from lantern.audit.services import request_source
from lantern.cases.models import Case
from lantern.edges.bounds import Id
from lantern.edges.schemas import ERRORS, Pages
from lantern.edges.typing import AuthedRequest
from lantern.protection.api_common import case_of
from lantern.protection.story import actors, history, service
from lantern.protection.story.records import (
    Removed,
    actor_view,
    circumstances_view,
    episode_view,
    event_view,
)
from lantern.protection.story.schemas import (
    ActorIn,
    ActorPatch,
    ActorSavedOut,
    ChangeOut,
    CircumstancesPatch,
    CircumstancesSavedOut,
    EpisodeIn,
    EpisodePatch,
    EpisodeSavedOut,
    EventIn,
    EventPatch,
    EventSavedOut,
    RemovedOut,
    RemoveIn,
    StoryOut,
)

router = Router(tags=["story"])
BASE = "/cases/{case_id}/story"


def _fields(body: Any) -> tuple[dict[str, Any], str]:
    """The fields a body sends (a PATCH changes only those), and its reason."""
    sent = body.model_dump(exclude_unset=True)
    return {k: v for k, v in sent.items() if k != "reason"}, body.reason


def _changed(change: Any) -> int | None:
    return change.pk if change is not None else None


@router.get(BASE, response={200: StoryOut, **ERRORS}, summary="A case's story")
def story(request: AuthedRequest, case_id: Id) -> dict[str, Any]:
    return asdict(service.story(request.user, case_of(request, case_id)))


@router.patch(
    BASE,
    response={200: CircumstancesSavedOut, **ERRORS},
    summary="Change the case's vulnerabilities, recruitment, means of control, forms, acts",
)
def edit_circumstances(
    request: AuthedRequest, case_id: Id, body: CircumstancesPatch
) -> dict[str, Any]:
    """422 naming the field for a code not in its list, or a form an episode still has."""
    fields, why = _fields(body)
    case, change = service.edit_circumstances(
        request.user, case_of(request, case_id), fields, why, request_source(request)
    )
    return {"circumstances": asdict(circumstances_view(case)), "change_id": _changed(change)}


# --- journey ----------------------------------------------------------------------------------


@router.post(BASE + "/events", response={201: EventSavedOut, **ERRORS}, summary="Add a step")
def add_event(request: AuthedRequest, case_id: Id, body: EventIn) -> Status[Any]:
    why = body.reason
    fields = {k: v for k, v in body.model_dump().items() if k != "reason"}
    row, change = service.add_event(
        request.user, case_of(request, case_id), fields, why, request_source(request)
    )
    return Status(201, {"event": asdict(event_view(row)), "change_id": change.pk})


@router.patch(
    BASE + "/events/{event_id}", response={200: EventSavedOut, **ERRORS}, summary="Change a step"
)
def edit_event(
    request: AuthedRequest, case_id: Id, event_id: Id, body: EventPatch
) -> dict[str, Any]:
    fields, why = _fields(body)
    row, change = service.edit_event(
        request.user, case_of(request, case_id), event_id, fields, why, request_source(request)
    )
    return {"event": asdict(event_view(row)), "change_id": _changed(change)}


@router.delete(
    BASE + "/events/{event_id}", response={200: RemovedOut, **ERRORS}, summary="Remove a step"
)
def remove_event(
    request: AuthedRequest, case_id: Id, event_id: Id, body: RemoveIn
) -> dict[str, Any]:
    change = service.remove_event(
        request.user, case_of(request, case_id), event_id, body.reason, request_source(request)
    )
    return asdict(Removed(event_id, change.pk))


# --- exploitation episodes --------------------------------------------------------------------


@router.post(
    BASE + "/episodes", response={201: EpisodeSavedOut, **ERRORS}, summary="Add an episode"
)
def add_episode(request: AuthedRequest, case_id: Id, body: EpisodeIn) -> Status[Any]:
    """The episode's form joins the case's forms of exploitation."""
    why = body.reason
    fields = {k: v for k, v in body.model_dump().items() if k != "reason"}
    row, change = service.add_episode(
        request.user, case_of(request, case_id), fields, why, request_source(request)
    )
    return Status(201, {"episode": asdict(episode_view(row)), "change_id": change.pk})


@router.patch(
    BASE + "/episodes/{episode_id}",
    response={200: EpisodeSavedOut, **ERRORS},
    summary="Change an episode",
)
def edit_episode(
    request: AuthedRequest, case_id: Id, episode_id: Id, body: EpisodePatch
) -> dict[str, Any]:
    fields, why = _fields(body)
    row, change = service.edit_episode(
        request.user, case_of(request, case_id), episode_id, fields, why, request_source(request)
    )
    return {"episode": asdict(episode_view(row)), "change_id": _changed(change)}


@router.delete(
    BASE + "/episodes/{episode_id}",
    response={200: RemovedOut, **ERRORS},
    summary="Remove an episode (its form stays listed on the case)",
)
def remove_episode(
    request: AuthedRequest, case_id: Id, episode_id: Id, body: RemoveIn
) -> dict[str, Any]:
    change = service.remove_episode(
        request.user, case_of(request, case_id), episode_id, body.reason, request_source(request)
    )
    return asdict(Removed(episode_id, change.pk))


# --- suspected traffickers --------------------------------------------------------------------


@router.post(
    BASE + "/actors", response={201: ActorSavedOut, **ERRORS}, summary="Add a suspected trafficker"
)
def add_actor(request: AuthedRequest, case_id: Id, body: ActorIn) -> Status[Any]:
    """409 when the person is already recorded in that role in this case."""
    why = body.reason
    fields = {k: v for k, v in body.model_dump().items() if k != "reason"}
    row, change = actors.add_actor(
        request.user, case_of(request, case_id), fields, why, request_source(request)
    )
    return Status(201, {"actor": asdict(actor_view(row)), "change_id": change.pk})


@router.patch(
    BASE + "/actors/{role_id}",
    response={200: ActorSavedOut, **ERRORS},
    summary="Change a suspected trafficker's role, relationship or network",
)
def edit_actor(
    request: AuthedRequest, case_id: Id, role_id: Id, body: ActorPatch
) -> dict[str, Any]:
    fields, why = _fields(body)
    row, change = actors.edit_actor(
        request.user, case_of(request, case_id), role_id, fields, why, request_source(request)
    )
    return {"actor": asdict(actor_view(row)), "change_id": _changed(change)}


@router.delete(
    BASE + "/actors/{role_id}",
    response={200: RemovedOut, **ERRORS},
    summary="Take a suspected trafficker off the case",
)
def remove_actor(
    request: AuthedRequest, case_id: Id, role_id: Id, body: RemoveIn
) -> dict[str, Any]:
    change = actors.remove_actor(
        request.user, case_of(request, case_id), role_id, body.reason, request_source(request)
    )
    return asdict(Removed(role_id, change.pk))


# --- history ----------------------------------------------------------------------------------


class _Changes:
    """The case's changes as answers, sliced by the paginator before any row is read; each
    page read is audited."""

    def __init__(self, request: AuthedRequest, case: Case) -> None:
        self.request, self.case = request, case
        self.queryset = history.changes(request.user, case)  # what Pages counts

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        rows = list(self.queryset[page])
        read = history.read(self.request.user, self.case, rows, request_source(self.request))
        return [asdict(c) for c in read]


@router.get(
    "/cases/{case_id}/history",
    response={200: list[ChangeOut], **ERRORS},  # type: ignore[valid-type]
    summary="A case's history of changes to its story, newest first",
)
@paginate(Pages)
def case_history(request: AuthedRequest, case_id: Id, **kwargs: Any) -> Any:
    """Values and reasons are withheld (named under ``withheld``) from readers of lower tiers."""
    return _Changes(request, case_of(request, case_id))
