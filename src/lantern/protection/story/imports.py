"""What an agency's re-import replaces, kept in the case's history.

An import updates a changed row by replacing the case's journey, episodes and actors with the
file's (``lantern.cases.importing``). Where caseworkers have changed that story here, the
replaced records would vanish without a trace; this receiver of ``story_replaced`` keeps each
one as a removal in the history (values before, source "import"), so nothing recorded is lost
and the history says why it went.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from lantern.cases.importing.loader import story_replaced
from lantern.cases.models import Case
from lantern.protection.story.history import record_change
from lantern.protection.story.models import CaseChange
from lantern.protection.story.records import actor_values, episode_values, event_values

STORY_RECORDS = ("event", "episode", "actor")


@receiver(story_replaced)
def keep_what_an_import_replaces(
    sender: Any, *, user: Any, case_ids: Iterable[int], **kwargs: Any
) -> None:
    changed_here = Q()
    for record in STORY_RECORDS:
        changed_here |= Q(what__startswith=f"{record}.")
    edited = (
        CaseChange.objects.filter(changed_here, case_id__in=list(case_ids))
        .values_list("case_id", flat=True)
        .distinct()
    )
    for case in Case.objects.filter(pk__in=list(edited)).prefetch_related(
        "events", "exploitations", "actor_roles__actor"
    ):
        rows = [
            *(("event", e.pk, event_values(e)) for e in case.events.all()),
            *(("episode", x.pk, episode_values(x)) for x in case.exploitations.all()),
            *(("actor", r.pk, actor_values(r)) for r in case.actor_roles.all()),
        ]
        for record, pk, before in rows:
            record_change(
                user,
                case,
                f"{record}.remove",
                "",
                before,
                None,
                source="import",
                record_id=pk,
                note="import_replaces",
                via="import",
            )
