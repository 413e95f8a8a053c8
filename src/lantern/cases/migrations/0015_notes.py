"""The case's narrative (versioned), case notes and attachments (issue #15, item 1): new
tables, every free text encrypted; attachments' bytes are sealed files under var/."""

import django.db.models.deletion
import lantern.vault.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_finding'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Attachment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('filename', lantern.vault.fields.EncryptedTextField()),
                ('description', lantern.vault.fields.EncryptedTextField(blank=True)),
                ('media_type', models.CharField(choices=[('application/pdf', 'PDF document'), ('image/jpeg', 'JPEG image'), ('image/png', 'PNG image'), ('text/plain', 'Plain text')], max_length=32)),
                ('size', models.PositiveBigIntegerField()),
                ('data_key', lantern.vault.fields.EncryptedTextField()),
                ('uploaded_at', models.DateTimeField()),
                ('deleted_at', models.DateTimeField(blank=True, null=True)),
                ('deletion_reason', lantern.vault.fields.EncryptedTextField(blank=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='cases.case')),
                ('deleted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['case', '-uploaded_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='CaseNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('visit', 'Visit'), ('call', 'Call'), ('meeting', 'Meeting'), ('observation', 'Observation'), ('other', 'Other')], max_length=16)),
                ('body', lantern.vault.fields.EncryptedTextField()),
                ('follow_up_on', models.DateField(blank=True, null=True)),
                ('written_at', models.DateTimeField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='cases.case')),
                ('written_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['case', '-written_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='NarrativeVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField()),
                ('text', lantern.vault.fields.EncryptedTextField()),
                ('written_at', models.DateTimeField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='narrative_versions', to='cases.case')),
                ('written_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['case', '-version'],
                'constraints': [models.UniqueConstraint(fields=('case', 'version'), name='narrative_version_once')],
            },
        ),
    ]
