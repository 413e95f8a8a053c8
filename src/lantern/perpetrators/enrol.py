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


def enrol_unlinked(batch: int = 1000) -> int:
    """Enrol every actor without a register record (after a bulk import), in bulk; returns
    how many."""
    count = 0
    while True:
        with transaction.atomic():
            actors = list(
                Actor.objects.filter(register_link__isnull=True)
                .order_by("pk")
                .values_list("pk", "agency_id")[:batch]
            )
            if not actors:
                return count
            records = Perpetrator.objects.bulk_create(
                [Perpetrator(agency_id=agency) for _pk, agency in actors]
            )
            ActorLink.objects.bulk_create(
                [
                    ActorLink(actor_id=pk, perpetrator_id=r.pk)
                    for (pk, _agency), r in zip(actors, records, strict=True)
                ]
            )
        count += len(actors)


@receiver(post_save, sender=Actor)
def _actor_saved(sender: Any, instance: Actor, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        enrol(instance)


@receiver(records_imported)
def _records_imported(sender: Any, **kwargs: Any) -> None:
    enrol_unlinked()
