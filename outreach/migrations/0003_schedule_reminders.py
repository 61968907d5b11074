"""Reminder sweeps of the outreach calendar (editable in the admin): sessions every five minutes (the
two-hours-before reminder needs it), missing minutes every hour."""

from django.db import migrations

from netralitas.notify.schedules import schedule_every, unschedule

UPCOMING = "Pengingat kegiatan sosialisasi dan apel (tiap 5 menit)"
MINUTES = "Pengingat notulen kegiatan (tiap jam)"


def schedule(apps, schema_editor):
    schedule_every(apps, UPCOMING, "outreach.sweep_upcoming", 5)
    schedule_every(apps, MINUTES, "outreach.sweep_minutes", 60)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_materials_follow_ups"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, lambda apps, schema_editor: unschedule(apps, UPCOMING, MINUTES))]
