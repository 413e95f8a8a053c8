"""A perpetrator's phone gets a second blind index on its last digits, so that a number given
without its country code or trunk prefix finds the record; existing phones are indexed from
their decrypted values (in memory only). Nothing is removed: the exact index stays."""

import unicodedata
from typing import Any

from django.db import migrations, models

from lantern.networks.records import phone_key
from lantern.vault import blind_index


def index_tails(apps: Any, schema_editor: Any) -> None:
    """As lantern.perpetrators.identifiers.tail_index does today (written out: a migration
    keeps the rule it was written with)."""
    model = apps.get_model("cases", "PerpetratorIdentifier")
    rows = list(model.objects.filter(kind="phone"))
    for row in rows:
        tail = phone_key(unicodedata.normalize("NFKC", row.value))
        row.tail_index = blind_index(tail, "perpetrator_phone_tail") if tail else ""
    model.objects.bulk_update(rows, ["tail_index"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_netwire"),
    ]

    operations = [
        migrations.AddField(
            model_name="perpetratoridentifier",
            name="tail_index",
            field=models.CharField(blank=True, db_index=True, default="", max_length=40),
        ),
        migrations.RunPython(index_tails, migrations.RunPython.noop),
    ]
