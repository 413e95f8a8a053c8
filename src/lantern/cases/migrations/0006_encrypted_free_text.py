"""Free-text reasons become encrypted columns, bound to their column; existing clear values
(empty ones too) are encrypted in place. Reversible while the keys are at hand: the reverse
decrypts back to clear text (values longer than the old limits, 500 characters or 200 for an
intake's referral reason, would not fit the old columns on PostgreSQL)."""

from django.db import migrations

import lantern.vault.fields
from lantern.vault.migrating import encrypt_columns

COLUMNS = [
    ("cases.CaseTransition", "reason"),
    ("cases.Intake", "referral_reason"),
    ("cases.Referral", "override_reason"),
    ("cases.Referral", "response_reason"),
    ("cases.Referral", "completion_note"),
    ("cases.TracingRequest", "decision_reason"),
    ("cases.Transfer", "reason"),
]


def _encrypted(blank: bool) -> lantern.vault.fields.EncryptedTextField:
    return lantern.vault.fields.EncryptedTextField(blank=blank)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_agreement_partner_keys"),
    ]

    operations = [
        migrations.AlterField("casetransition", "reason", _encrypted(blank=False)),
        migrations.AlterField("intake", "referral_reason", _encrypted(blank=True)),
        migrations.AlterField("referral", "override_reason", _encrypted(blank=True)),
        migrations.AlterField("referral", "response_reason", _encrypted(blank=True)),
        migrations.AlterField("referral", "completion_note", _encrypted(blank=True)),
        migrations.AlterField("tracingrequest", "decision_reason", _encrypted(blank=True)),
        migrations.AlterField("transfer", "reason", _encrypted(blank=False)),
        migrations.RunPython(*encrypt_columns(COLUMNS)),
    ]
