"""Agency kinds become the taxonomy's ``agency_types`` ids (#20, one vocabulary per thing).

The account model had its own eight kinds; seven are already taxonomy ids, and ``shelter`` is
the taxonomy's ``ngo_shelter``. The field takes its choices from the list from now on, and may
be blank (an import whose records do not say the kind). Unapplying gives ``shelter`` back and
turns kinds the old vocabulary lacked into ``ngo``, as its importer did.
"""

from django.db import migrations, models

import lantern.accounts.models

OLD_KINDS = {
    "ngo": "ngo",
    "police": "police",
    "labour_inspection": "labour_inspection",
    "shelter": "ngo_shelter",
    "hotline": "hotline",
    "health": "health",
    "government": "government",
    "international_organisation": "international_organisation",
}


def to_taxonomy(apps, schema_editor):
    agencies = apps.get_model("accounts", "Agency").objects
    for old, new in OLD_KINDS.items():
        if old != new:
            agencies.filter(type=old).update(type=new)


def to_old_kinds(apps, schema_editor):
    agencies = apps.get_model("accounts", "Agency").objects
    back = {new: old for old, new in OLD_KINDS.items()}
    for new, old in back.items():
        if old != new:
            agencies.filter(type=new).update(type=old)
    agencies.exclude(type__in=back.values()).update(type="ngo")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agency",
            name="type",
            field=models.CharField(
                blank=True, choices=lantern.accounts.models.agency_type_choices, max_length=32
            ),
        ),
        migrations.RunPython(to_taxonomy, to_old_kinds),
    ]
