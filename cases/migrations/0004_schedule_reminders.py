"""Reminder sweeps of cases and referrals, every ten minutes (editable in the admin)."""

from django.db import migrations

from netralitas.notify.schedules import schedule_every, unschedule

CASES = "Pengingat tenggat perkara (tiap 10 menit)"
REFERRALS = "Pengingat penerusan yang melewati batas (tiap 10 menit)"


def schedule(apps, schema_editor):
    schedule_every(apps, CASES, "cases.sweep_case_deadlines", 10)
    schedule_every(apps, REFERRALS, "cases.sweep_referral_clocks", 10)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_referrals"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, lambda apps, schema_editor: unschedule(apps, CASES, REFERRALS))]
