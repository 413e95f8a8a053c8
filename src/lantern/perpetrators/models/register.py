"""The perpetrator register: one record per person or business, across cases and agencies.

A case keeps what its agency knows (``cases.Actor``: the agency's reference, never a name, and
its ``ActorRole`` in each case: role and relationship to the child), as imports and the story
write it. The register sits above: each ``Actor`` links to one register record
(``ActorLink``), so the uncle in a shelter's case and the broker in a police case can be one
person. Names, aliases, phones, vehicles and places are identifiers: encrypted, each with a
blind index for exact look-up.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import Agency
from lantern.cases.models import Actor
from lantern.vault.fields import EncryptedTextField


class PerpetratorKind(models.TextChoices):
    PERSON = "person", _("Person")
    BUSINESS = "business", _("Business")


class IdentifierKind(models.TextChoices):
    NAME = "name", _("Name")
    ALIAS = "alias", _("Alias")
    PHONE = "phone", _("Phone number")
    VEHICLE = "vehicle", _("Vehicle")
    PLACE = "place", _("Place")


class Perpetrator(models.Model):
    """A person or a business suspected of trafficking children, as the register knows it."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        max_length=16, choices=PerpetratorKind.choices, default=PerpetratorKind.PERSON
    )
    # genders code; counted by sex in GLOTIP's justice figures (a business: "Other")
    sex = models.CharField(max_length=32, blank=True)
    citizenship = models.CharField(max_length=3, blank=True, help_text=_("ISO alpha-3"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="perpetrators")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:  # never a name: str() ends up in logs
        return f"Perpetrator {self.pk}"

    @property
    def reference(self) -> str:
        """A reference to speak of the record by: digits only (read the same in any language),
        drawn from the random key, so it tells nothing of the register's size or order."""
        return f"T-{self.key.int % 10**8:08d}"


class PerpetratorIdentifier(models.Model):
    """A name, alias, phone number, vehicle or place of a perpetrator: encrypted, with a blind
    index so that an exact look-up finds it without the value being stored in clear."""

    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = EncryptedTextField()
    index = models.CharField(max_length=40, db_index=True)
    #: a phone's blind index on its last digits (identifiers.tail_index); "" otherwise
    tail_index = models.CharField(max_length=40, blank=True, default="", db_index=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["perpetrator", "kind", "index"], name="perpetrator_identifier_unique"
            ),
        ]


class ActorLink(models.Model):
    """An agency's actor (its reference in its cases) is this register record."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="register_link")
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.CASCADE, related_name="actor_links"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
