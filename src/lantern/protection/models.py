"""Registers every protection domain's models with Django when the app loads."""

from lantern.protection.careplan import models as careplan
from lantern.protection.followup import models as followup
from lantern.protection.intake import models as intake
from lantern.protection.legal import models as legal
from lantern.protection.notes import models as notes
from lantern.protection.referrals import models as referrals
from lantern.protection.safety import models as safety
from lantern.protection.story import models as story
from lantern.protection.tracing import models as tracing
from lantern.protection.transfers import models as transfers
from lantern.protection.triage import models as triage

__all__ = [
    "careplan",
    "followup",
    "intake",
    "legal",
    "notes",
    "referrals",
    "safety",
    "story",
    "tracing",
    "transfers",
    "triage",
]
