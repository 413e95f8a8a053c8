"""The mart follows the store by itself: every committed change asks for a refresh
(``refresh.note_change``, which debounces and serialises them).

Monitoring listens; the layers below never call it (they may not import it). A case, its
journey or its episodes saved or deleted through the ORM (every service writes so), an import
(``records_imported``, sent once it has committed: its bulk writes send no per-row signal), a
finished linkage run or a reviewer's decision (both move children's keys). A write that sends
no signal at all (a queryset's ``update``, raw SQL) is still seen by the next refresh, through
the case's revision (``Case.revision``), only not at once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from lantern.cases.importing.loader import records_imported
from lantern.cases.models import Case, Exploitation, TraffickingEvent
from lantern.linkage.models import LinkRun, ReviewDecision
from lantern.monitoring.dashboard import refresh

WATCHED = (Case, TraffickingEvent, Exploitation, ReviewDecision)


def _changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    transaction.on_commit(refresh.note_change, using=using)


def _linked(sender: Any, instance: LinkRun, using: str = "default", **kwargs: Any) -> None:
    if instance.finished_at is not None:
        transaction.on_commit(refresh.note_change, using=using)


def _imported(sender: Any, report: Any = None, **kwargs: Any) -> None:
    """Sent on the import's commit: one change of many rows, refreshed without settling."""
    worker = refresh.note_change(settle=False)
    if worker is not None and report is not None:
        report.background.append(("statistics: refreshing the mart", worker))


def connect() -> None:
    """Listen (once: the dispatch uids make a second call a no-op)."""
    for model in WATCHED:
        uid = f"lantern-mart-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_linked, sender=LinkRun, dispatch_uid="lantern-mart-linkrun")
    records_imported.connect(_imported, dispatch_uid="lantern-mart-import")
