"""The reader's language, as one of the languages the code lists carry labels in."""

from __future__ import annotations

from django.utils.translation import get_language

from lantern.taxonomy import LANGUAGES


def reader_language() -> str:
    lang = (get_language() or "en")[:2]
    return lang if lang in LANGUAGES else "en"
