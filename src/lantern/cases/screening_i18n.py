"""Screening in the reader's language: checklist help, reasons and recommendations.

lantern.screening stays pure and English; every reason carries a template code and params made
of codes and numbers, so a stored result is re-rendered here in French or Spanish from
``locale/screening.yaml`` (keyed by those codes). Code params (acts, purposes, means) take their
labels from the taxonomy's code lists, which already carry en/fr/es.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantern.screening import checklist, load_catalogue
from lantern.screening.vocabulary import Profile
from lantern.taxonomy import UnknownCode, code_list, supported_language

TEXTS_FILE = Path(__file__).resolve().parent.parent / "locale" / "screening.yaml"
_CODE_PARAMS = {"acts": "palermo_acts", "purposes": "palermo_purposes", "means": "palermo_means"}
_WORD_PARAMS = ("basis", "value", "person", "profile")


class ScreeningStatus(models.TextChoices):
    """The status a screening gives the case (``lantern.screening``'s ``status``)."""

    TRAFFICKING = "trafficking", _("Trafficking")
    SMUGGLING = "smuggling", _("Smuggling")
    NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
    UNDETERMINED = "undetermined", _("Undetermined")


class DimensionResultLabel(models.TextChoices):
    """``lantern.screening.vocabulary.DimensionResult``, labelled."""

    POSITIVE = "positive", _("Positive")
    NOT_POSITIVE = "not_positive", _("Not positive")
    INSUFFICIENT_DATA = "insufficient_data", _("Not enough facts yet")


class ProfileLabel(models.TextChoices):
    """``lantern.screening.vocabulary.Profile``: whose indicator list applies."""

    CHILD_LABOUR = "child_labour", _("Child, labour exploitation")
    CHILD_SEXUAL = "child_sexual", _("Child, sexual exploitation")
    ADULT_LABOUR = "adult_labour", _("Adult, labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("Adult, sexual exploitation")


@functools.cache
def texts() -> dict[str, Any]:
    """The translations file, read once per process."""
    data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{TEXTS_FILE}: not a mapping")
    return data


def word(key: str, lang: str) -> str:
    """A word used inside reason params (element names, tri-values, age bases)."""
    return str(texts()["words"].get(key, {}).get(lang, key)) if lang != "en" else key


@dataclass(frozen=True, slots=True)
class LocalChecklistItem:
    """A checklist item with its label, question and plain-language help in one language."""

    # The API's answer (``screening_api.ChecklistItemOut``) is built from these fields.

    indicator_id: str
    dimension: str
    dimension_label: str
    dimension_question: str
    label: str
    help: str
    strength: str
    strength_label: str
    strength_help: str
    provisional: bool


def local_checklist(profile: Profile, lang: str) -> list[LocalChecklistItem]:
    """The indicators of ``profile``'s list, grouped D1..D6, in ``lang``."""
    lang = supported_language(lang)
    t = texts()
    catalogue = load_catalogue()
    items = []
    for item in checklist(profile, catalogue):
        own = t["indicators"][item.indicator_id]
        dim = t["dimensions"][item.dimension][lang]
        strength = t["strengths"][item.strength][lang]
        items.append(
            LocalChecklistItem(
                indicator_id=item.indicator_id,
                dimension=item.dimension,
                dimension_label=dim["label"],
                dimension_question=dim["question"],
                label=item.label if lang == "en" else own[lang]["label"],
                help=own[lang]["help"],
                strength=item.strength,
                strength_label=strength["label"],
                strength_help=strength["help"],
                provisional=item.provisional,
            )
        )
    return items


def _label(list_name: str, code: str, lang: str) -> str:
    try:
        text = code_list(list_name).label(code, lang)
    except UnknownCode:  # an old stored code is shown as itself, never a crash
        return code
    return text[:1].lower() + text[1:]


def _params(params: dict[str, Any], lang: str) -> dict[str, Any]:
    out = dict(params)
    for key, list_name in _CODE_PARAMS.items():
        if isinstance(out.get(key), str):
            out[key] = ", ".join(_label(list_name, c, lang) for c in out[key].split(", "))
    if isinstance(out.get("missing"), str):
        out["missing"] = ", ".join(word(w, lang) for w in out["missing"].split(", ") if w)
    for key in _WORD_PARAMS:
        if isinstance(out.get(key), str):
            out[key] = word(out[key], lang)
    if isinstance(out.get("dimension"), str) and "label" in out:
        out["label"] = texts()["dimensions"][out["dimension"]][lang]["label"]
    if isinstance(out.get("grounds"), str):
        grounds = "; ".join(word(g.lower(), lang) for g in out["grounds"].split("; "))
        out["grounds"] = grounds[:1].upper() + grounds[1:]
    return out


def reason_text(code: str, params: dict[str, Any], lang: str) -> str:
    """One reason rendered in ``lang`` from its template code and params."""
    lang = supported_language(lang)
    template = texts()["reasons"][code][lang]
    return str(template).format(**_params(params, lang))


def recommendation_text(parts: list[dict[str, Any]], lang: str) -> str:
    """The recommendation chain (``age_first`` then the action) rendered in ``lang``."""
    lang = supported_language(lang)
    text = ""
    for part in reversed(parts):
        params = _params(part.get("params", {}), lang)
        if text:
            params["then"] = text
        text = str(texts()["recommendations"][part["code"]][lang]).format(**params)
    return text


def localise(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """A stored result (``to_dict`` + ``recommendation_parts``) with its texts in ``lang``."""
    lang = supported_language(lang)
    if lang == "en":
        return result
    out = dict(result)
    out["reasons"] = [
        {**r, "text": reason_text(r["code"], r.get("params", {}), lang)} for r in result["reasons"]
    ]
    if result.get("recommendation_parts"):
        out["recommendation"] = recommendation_text(result["recommendation_parts"], lang)
    return out
