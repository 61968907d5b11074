"""Check stored evidence files against their SHA-256, a slice every 15 minutes (editable in the admin)."""

from django.db import migrations

from netralitas.notify.schedules import schedule_every, unschedule

NAME = "Periksa keutuhan berkas bukti (tiap 15 menit, bergiliran)"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_integrity"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule_every(apps, NAME, "cases.verify_evidence_files", 15),
            lambda apps, schema_editor: unschedule(apps, NAME),
        )
    ]
