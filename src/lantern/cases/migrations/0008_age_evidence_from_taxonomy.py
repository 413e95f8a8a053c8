"""A case's age evidence takes its choices from the taxonomy's ``age_evidence`` list (#20): the
ids are unchanged, so no value moves; the model's own copy of the list is gone."""

from django.db import migrations, models

import lantern.cases.models.case


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_case_list_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="age_evidence",
            field=models.CharField(
                blank=True, choices=lantern.cases.models.case.age_evidence_choices, max_length=20
            ),
        ),
    ]
