"""Hand waiting e-mail to the workers every minute (rows written while the broker was down, retries)."""

from django.db import migrations

from netralitas.notify.schedules import schedule_every, unschedule

NAME = "Kirim e-mail yang menunggu di kotak keluar (tiap menit)"


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: schedule_every(apps, NAME, "notify.dispatch_pending", 1),
            lambda apps, schema_editor: unschedule(apps, NAME),
        )
    ]
