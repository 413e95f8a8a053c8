"""Traffickers for the demo country, so the register, the justice chain and the network pages
show something: a few synthetic people known to several agencies under their own references.

The simulated records give each agency its own references for an actor, so the demo decides,
as an analyst reviewing linkage would, that the busiest actor of each agency is one person;
they get invented names, phones, vehicles and places, and some a justice chain. Synthetic only.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from lantern.accounts.models import Agency, Role, User
from lantern.cases.models import Actor
from lantern.perpetrators import justice, service
from lantern.perpetrators.enrol import enrol, enrol_unlinked
from lantern.perpetrators.models import ActorLink

GIVEN = ["Ramesh", "Sunil", "Kamala", "Bikash", "Lakshmi", "Dinesh", "Mohan", "Sarita"]
FAMILY = ["Khadka", "Bhandari", "Yadav", "Shrestha", "Karki", "Mahato", "Rana", "Thakur"]
ALIASES = ["Mama", "Didi", "Sahu", "Kaka", "Boss", "Dai"]
PLACES = ["Raxaul bus stand", "Birgunj border market", "Kamathipura", "Sonauli crossing"]
CHAIN = (("suspected", 400), ("arrested", 380), ("charged", 300), ("prosecuted", 240))


def _staff(role: str) -> User | None:
    found = User.objects.filter(role=role, is_active=True).exclude(agency=None)
    demo = found.filter(username__startswith="demo-").order_by("pk").first()
    return demo or found.order_by("pk").first()


def seed_perpetrators(seed: int, people: int = 4) -> int:
    """Link, name and prosecute ``people`` synthetic traffickers; returns how many."""
    rng = random.Random(seed)
    supervisor, liaison = _staff(Role.SUPERVISOR), _staff(Role.LIAISON)
    if supervisor is None or liaison is None:
        return 0
    enrol_unlinked()
    agencies = sorted(
        Agency.objects.filter(actors__isnull=False).distinct(),
        key=lambda a: (a.pk != supervisor.agency_id, a.pk != liaison.agency_id, a.code),
    )[:3]
    busiest = {
        a.pk: list(
            Actor.objects.filter(agency=a).annotate(n=Count("roles")).order_by("-n", "pk")[:people]
        )
        for a in agencies
    }
    today = dt.date.today()
    made = 0
    for i in range(people):
        group = [busiest[a.pk][i] for a in agencies if len(busiest[a.pk]) > i]
        if not group:
            break
        keep = enrol(group[0]).perpetrator
        for actor in group[1:]:
            other = enrol(actor).perpetrator
            if other.pk != keep.pk and ActorLink.objects.filter(perpetrator=other).exists():
                service.merge(supervisor, keep, other, source="demo")
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        service.add_identifiers(
            supervisor,
            keep,
            [
                ("name", name),
                ("alias", rng.choice(ALIASES)),
                ("phone", f"+977 98{rng.randrange(10**7, 10**8)}"),
                ("vehicle", f"Na {rng.randrange(1, 9)} Kha {rng.randrange(1000, 9999)}"),
                ("place", rng.choice(PLACES)),
            ],
            sex=rng.choice(["Masculine", "Masculine", "Feminine"]),
            source="demo",
        )
        for stage, days in CHAIN[: len(CHAIN) - i]:
            justice.record_step(
                liaison, keep, stage=stage, date=today - dt.timedelta(days=days), source="demo"
            )
        if i == 0:
            justice.record_step(
                liaison, keep, stage="convicted", date=today - dt.timedelta(days=30), source="demo"
            )
        made += 1
    return made
