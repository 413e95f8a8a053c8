"""Today's arrivals in the demo country: reports waiting in triage and a closure awaiting the
supervisor, so that the triage queue and the supervisor's My work show real work at first sight.

Every report goes through the intake service as a community reporter or a caseworker would
send it (search first, then the queue), and the closure request through the closure service:
the demo takes no shortcut the product would refuse. The children are synthetic.
"""

from __future__ import annotations

from lantern.accounts.models import User
from lantern.cases.models import Case, LifecycleState
from lantern.errors import DomainError
from lantern.protection.closure import service as closure
from lantern.protection.closure.checklist import checklist, open_items
from lantern.protection.intake import service as intake

# (channel, who sends it, child, facts): a bus conductor's urgent report, a neighbour's
# worry, and a hotline call taken by the caseworker. Synthetic names, no real place.
REPORTS = (
    (
        "community_report",
        "demo-reporter",
        intake.Child(given_name="Rupa", age=13, gender="Feminine"),
        {"place": "Bus park, gate 2", "concerns": ["unaccompanied"], "severity": "intervene"},
    ),
    (
        "community_report",
        "demo-reporter",
        intake.Child(nickname="Kanchha", age=15, gender="Masculine"),
        {"place": "Brick kiln road", "concerns": ["possible_exploitation"], "severity": "report"},
    ),
    (
        "hotline",
        "demo-caseworker",
        intake.Child(given_name="Sabina", age=16, gender="Feminine"),
        {"concerns": ["suspected_trafficking"], "severity": "emergency", "place": "Border post"},
    ),
)


def seed_arrivals() -> dict[str, int]:
    """Send the reports and ask to close one of the caseworker's cases with nothing left
    open; returns how many of each were made."""
    made = {"reports": 0, "closure_requests": 0}
    for channel, username, child, facts in REPORTS:
        sender = User.objects.filter(username=username).first()
        if sender is None:
            continue
        intake.open_case(sender, channel, child, facts, confirm_new=True)
        made["reports"] += 1
    worker = User.objects.filter(username="demo-caseworker").first()
    if worker is None:
        return made
    mine = Case.objects.filter(owner=worker).exclude(state=LifecycleState.CLOSED)
    for case in mine.order_by("pk")[:50]:
        if open_items(checklist(case)):
            continue
        try:
            closure.request_closure(
                worker,
                case,
                outcome="reunited_with_family",
                reason="Demo: the child is home and settled.",
            )
        except DomainError:
            continue
        made["closure_requests"] += 1
        break
    return made
