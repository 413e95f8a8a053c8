"""Model fields whose values are encrypted in the database and clear in Python.

Each ciphertext is bound to its column (``app.model.field`` in the associated data), so a value
moved to another column does not decrypt. Empty values are encrypted too: a dump must not tell
which children have no name, contact or date of birth on record.

A value that fails its check is not allowed to break the page that reads it: it reads as
``Unreadable`` (text) or ``None`` (a date), the failure is logged (the column, never the value),
and saving the record unchanged writes the original ciphertext back, so the evidence stays.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext

from lantern.vault.keys import UnreadableValue, decrypt, encrypt, keyring

log = logging.getLogger("lantern.vault")


class Unreadable(str):
    """What a text field holds when its ciphertext fails its check (moved or altered)."""

    token: str

    def __new__(cls, token: str) -> Unreadable:
        obj = super().__new__(cls, gettext("[unreadable: this value failed its integrity check]"))
        obj.token = token
        return obj


class _Encrypted(models.TextField):
    """Shared by the encrypted fields: the column's context, and a tolerant read."""

    def context(self) -> str:
        """The associated data's name for this column: ``app_label.model.field``."""
        return f"{self.model._meta.label_lower}.{self.name}"

    def open(self, token: str) -> str:
        """The plaintext of ``token`` stored in this column; raises ``UnreadableValue``."""
        return decrypt(token, self.context())

    def seal(self, plaintext: str) -> str:
        return encrypt(plaintext, self.context())

    def sealer(self) -> Callable[[Any], Any]:
        """``get_prep_value`` for many values at once (bulk writes): the key ring and the
        column's context are looked up once, not for every value."""
        encrypt, prepare = keyring().sealer(self.context()), self._plain

        def seal(value: Any) -> Any:
            plain = prepare(value)
            if plain is None or isinstance(plain, Unreadable):
                return plain.token if isinstance(plain, Unreadable) else plain
            return encrypt(plain)

        return seal

    def _plain(self, value: Any) -> Any:
        """The text to seal for ``value`` (None: stored as NULL; Unreadable: kept as found)."""
        raise NotImplementedError

    def _read(self, token: str) -> str | None:
        try:
            return self.open(token)
        except UnreadableValue:
            log.error("%s: a stored value failed its integrity check", self.context())
            return None


class EncryptedTextField(_Encrypted):
    """Text encrypted with the active key; cannot be filtered on (use a blind index)."""

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":  # "" only from before empty values were encrypted
            return value
        plain = self._read(value)
        return Unreadable(value) if plain is None else plain

    def get_prep_value(self, value: Any) -> Any:
        plain = self._plain(value)
        if plain is None or isinstance(plain, Unreadable):
            return plain.token if isinstance(plain, Unreadable) else plain
        return self.seal(plain)

    def _plain(self, value: Any) -> Any:
        if isinstance(value, Unreadable):
            return value  # its token is kept as found, for whoever investigates
        value = super().get_prep_value(value)
        return None if value is None else str(value)


class EncryptedDateField(_Encrypted):
    """A date stored as encrypted ISO text: dates of birth are identifying. An unknown date is
    stored encrypted as well (as an empty text), so its absence is not visible either."""

    description = "Encrypted date"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> dt.date | None:
        if not value:
            return None
        plain = self._read(value)
        return dt.date.fromisoformat(plain) if plain else None

    def to_python(self, value: Any) -> dt.date | None:
        if value is None or value == "" or isinstance(value, dt.date):
            return value or None
        return dt.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        return self.seal(self._plain(value))

    def _plain(self, value: Any) -> Any:
        value = self.to_python(value)
        return value.isoformat() if value is not None else ""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})
