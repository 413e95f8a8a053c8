"""The register's and the justice chain's models (tables in the ``cases`` app)."""

from lantern.perpetrators.models.justice import JusticeStage, JusticeStep
from lantern.perpetrators.models.register import (
    ActorLink,
    IdentifierKind,
    Perpetrator,
    PerpetratorIdentifier,
    PerpetratorKind,
)
from lantern.perpetrators.models.review import PairStatus, PerpetratorPair

__all__ = [
    "ActorLink",
    "IdentifierKind",
    "JusticeStage",
    "JusticeStep",
    "PairStatus",
    "Perpetrator",
    "PerpetratorIdentifier",
    "PerpetratorKind",
    "PerpetratorPair",
]
