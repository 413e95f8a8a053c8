"""Every code a protection form offers has its label in English, French and Spanish, from its
one source: a model's TextChoices (a gettext label, translated in the .po files) or a taxonomy
list (labelled per language in its YAML)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import override, trans_real

from lantern.protection import views as case_page
from lantern.protection.intake.declaration import CHANNELS
from lantern.protection.intake.forms import form_class
from lantern.protection.referrals.forms import AnswerForm
from lantern.protection.tracing.forms import DecideForm, TracingForm
from lantern.protection.transfers.forms import ExportForm
from lantern.taxonomy import LANGUAGES
from tests.protection.conftest import World


def _forms(user: Any) -> list[forms.Form]:
    built = [entry.bind(user) for entry in case_page.FORMS]
    built += [form_class(c)(user=user) for c in CHANNELS.values()]
    return [*built, TracingForm(), DecideForm(), AnswerForm(), ExportForm()]


def _offered(user: Any) -> list[tuple[str, str, Any]]:
    """(form field, code, label) for every code offered; blank choices and records left out."""
    out = []
    for form in _forms(user):
        for name, field in form.fields.items():
            if isinstance(field, forms.ChoiceField):
                for code, label in field.choices:  # type: ignore[misc]
                    if code and not str(code).isdigit():
                        out.append((f"{type(form).__name__}.{name}", str(code), label))
    return out


def test_the_interface_languages_are_the_code_lists_languages() -> None:
    assert tuple(code for code, _ in settings.LANGUAGES) == LANGUAGES


def test_the_forms_offer_codes_at_all(world: World) -> None:
    offered = {(f, c) for f, c, _ in _offered(world.users["cw"])}
    assert ("HotlineForm.severity", "emergency") in offered
    assert ("LegalForm.testimony_measures", "closed_hearing") in offered
    assert ("ConsentForm.item", "assent_to_interview") in offered
    assert ("ExportForm.consent_basis", "override") in offered


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_the_forms_offer_has_a_label_in_every_language(lang: str, world: World) -> None:
    catalog = trans_real.translation(lang)._catalog if lang != "en" else None
    missing = []
    with override(lang):
        for where, code, label in _offered(world.users["cw"]):
            if isinstance(label, Promise):  # a gettext label: translated in the .po file
                with override("en"):
                    msgid = str(label)
                if not msgid.strip() or (catalog is not None and not catalog.get(msgid)):
                    missing.append((where, code, msgid))
            elif not str(label).strip() or (lang != "en" and str(label) == code):
                missing.append((where, code, label))  # a taxonomy label in this language
    assert not missing, f"codes without a {lang} label: {missing}"
