"""The register's and the justice chain's models (tables in the ``cases`` app)."""

from lantern.perpetrators.models.justice import JusticeStage, JusticeStep
from lantern.perpetrators.models.register import (
    ActorLink,
    IdentifierKind,
    Perpetrator,
    PerpetratorIdentifier,
    PerpetratorKind,
)

__all__ = [
    "ActorLink",
    "IdentifierKind",
    "JusticeStage",
    "JusticeStep",
    "Perpetrator",
    "PerpetratorIdentifier",
    "PerpetratorKind",
]
