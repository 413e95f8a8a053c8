"""The reader's language, as one of the languages the code lists carry labels in."""

from __future__ import annotations

from django.utils.translation import get_language

from lantern.taxonomy import supported_language


def reader_language() -> str:
    return supported_language(get_language())
