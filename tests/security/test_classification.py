"""Classification by default: every text field of every Lantern model is either tiered in the
policy layer (``FIELD_SENSITIVITY``) or listed as clear by design (``CLEAR_BY_DESIGN``).

A new field (a note, a reason, a shelter's phone) therefore fails this test until someone
decides what it is. That the tiered ones are encrypted is held by
``tests/security/test_keys.py::test_every_encrypted_column_is_classified_identifying_or_highly_sensitive``.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.db import models

from lantern.accounts import policy
from lantern.vault.fields import EncryptedDateField, EncryptedTextField

TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.JSONField,
    EncryptedTextField,
    EncryptedDateField,
)


def _lantern_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("lantern.")]


def _text_fields() -> dict[str, models.Field]:  # type: ignore[type-arg]
    return {
        f"{m._meta.model_name}.{f.name}": f
        for m in _lantern_models()
        for f in m._meta.concrete_fields
        if isinstance(f, TEXT_FIELDS)
    }


def test_model_names_are_unambiguous_labels() -> None:
    """The policy names fields "model.field": two apps with one model name would share a tier."""
    counts = Counter(m._meta.model_name for m in _lantern_models())
    assert [n for n, c in counts.items() if c > 1] == []


def test_every_text_field_is_tiered_or_clear_by_design() -> None:
    fields = _text_fields()
    assert len(fields) > 150  # the walk really sees the models
    unclassified = sorted(
        label
        for label in fields
        if label not in policy.FIELD_SENSITIVITY and label not in policy.CLEAR_BY_DESIGN
    )
    assert unclassified == [], "classify these in lantern.accounts.policy: " + ", ".join(
        unclassified
    )


def test_the_classification_names_only_real_fields() -> None:
    """A renamed or removed field must leave the lists too (or a stale entry hides a new one)."""
    fields = _text_fields()
    stale = sorted((set(policy.FIELD_SENSITIVITY) | policy.CLEAR_BY_DESIGN) - set(fields))
    assert stale == []


def test_a_field_clear_by_design_is_stored_in_clear() -> None:
    """Listing an encrypted field as clear by design would be a contradiction to resolve."""
    fields = _text_fields()
    both = sorted(
        label
        for label in policy.CLEAR_BY_DESIGN
        if isinstance(fields.get(label), EncryptedTextField | EncryptedDateField)
    )
    assert both == []


def test_free_text_reasons_are_tiered_above_standard() -> None:
    for label in (
        "casetransition.reason",
        "intake.referral_reason",
        "referral.override_reason",
        "referral.response_reason",
        "referral.completion_note",
        "tracingrequest.decision_reason",
        "transfer.reason",
        "reviewdecision.reason",
    ):
        assert policy.tier_of(label) is not policy.Tier.STANDARD, label
        assert isinstance(_text_fields()[label], EncryptedTextField), label
