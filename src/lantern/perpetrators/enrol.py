"""Every suspected trafficker a case names lands in the register.

An agency's ``Actor`` is created by the story (one at a time: ``post_save``) and by imports (in
bulk, without signals: after the import, ``records_imported``). Each gets a register record of
its own, linked; records that turn out to be the same person are linked later (perpetrator
linkage), not guessed here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from lantern.bulkwrite import Writer
from lantern.cases.importing.loader import records_imported
from lantern.cases.models import Actor
from lantern.perpetrators.models import ActorLink, Perpetrator


def enrol(actor: Actor) -> ActorLink:
    """The actor's register link, made with a new register record when it has none."""
    with transaction.atomic():
        link = ActorLink.objects.filter(actor=actor).first()
        if link is None:
            record = Perpetrator.objects.create(agency_id=actor.agency_id)
            link = ActorLink.objects.create(actor=actor, perpetrator=record)
        return link


def enrol_unlinked(batch: int = 5000) -> int:
    """Enrol every actor without a register record (after a bulk import), in bulk; returns
    how many. Actors are walked once in key order (each batch starts after the last), and
    the records and links written without model objects (``lantern.bulkwrite``): an import
    of a million records names about as many actors."""
    records, links = (
        Writer(Perpetrator, ("agency_id",)),
        Writer(ActorLink, ("actor_id", "perpetrator_id")),
    )
    count, last = 0, 0
    while True:
        with transaction.atomic():
            actors = list(
                Actor.objects.filter(register_link__isnull=True, pk__gt=last)
                .order_by("pk")
                .values_list("pk", "agency_id")[:batch]
            )
            if not actors:
                return count
            ids = records.reserve(len(actors))
            records.insert([(agency,) for _pk, agency in actors], ids)
            links.insert([(pk, record) for (pk, _agency), record in zip(actors, ids, strict=True)])
        count += len(actors)
        last = actors[-1][0]


@receiver(post_save, sender=Actor)
def _actor_saved(sender: Any, instance: Actor, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        enrol(instance)


@receiver(records_imported)
def _records_imported(sender: Any, **kwargs: Any) -> None:
    enrol_unlinked()
