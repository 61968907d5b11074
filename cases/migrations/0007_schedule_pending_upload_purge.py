"""Delete, nightly, the files kept for public reports whose submit was never completed."""

from django.db import migrations

NAME = "Hapus berkas laporan daring yang tidak jadi dikirim (harian)"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Jakarta"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "cases.purge_pending_uploads", "crontab": crontab, "enabled": True}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_public_reports"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            schedule,
            lambda apps, schema_editor: (
                apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()
            ),
        )
    ]
