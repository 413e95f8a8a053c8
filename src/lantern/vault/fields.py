"""Model fields whose values are encrypted in the database and clear in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from lantern.vault.keys import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text encrypted with the active key; cannot be filtered on (use a blind index)."""

    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


class EncryptedDateField(models.TextField):
    """A date stored as encrypted ISO text: dates of birth are identifying."""

    description = "Encrypted date"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> dt.date | None:
        if not value:
            return None
        return dt.date.fromisoformat(decrypt(value))

    def to_python(self, value: Any) -> dt.date | None:
        if value is None or value == "" or isinstance(value, dt.date):
            return value or None
        return dt.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt(value.isoformat())

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})
