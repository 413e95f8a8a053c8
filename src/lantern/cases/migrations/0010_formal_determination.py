"""A formal determination's date and source (issue #15, item 8).

Cases that came "Actual" from an agency's file keep it: their source becomes "import" (the
agency's own determination). Other "Actual" cases are left as they are: changing a child's
status belongs to an audited service, not to a migration.
"""

from django.db import migrations, models

ACTUAL = "ActualVictimOfTrafficking"


def imported_determinations(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(trafficking_status=ACTUAL).exclude(source_digest="").update(
        trafficking_determination_source="import"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_case_assignment"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="trafficking_determination_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("recorded", "Recorded from the deciding body's decision"),
                    ("import", "Imported with the agency's record"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="trafficking_determined_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(imported_determinations, migrations.RunPython.noop),
    ]
