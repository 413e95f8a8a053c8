"""A reviewer's reason (words about two children) becomes an encrypted column; existing clear
values, empty ones too, are encrypted in place. Reversible while the keys are at hand."""

from django.db import migrations

import lantern.vault.fields
from lantern.vault.migrating import encrypt_columns

COLUMNS = [("linkage.ReviewDecision", "reason")]


class Migration(migrations.Migration):

    dependencies = [
        ("linkage", "0002_linkrun_model_linkrun_review_linkrun_scored_pairs"),
    ]

    operations = [
        migrations.AlterField(
            "reviewdecision", "reason", lantern.vault.fields.EncryptedTextField(blank=True)
        ),
        migrations.RunPython(*encrypt_columns(COLUMNS)),
    ]
