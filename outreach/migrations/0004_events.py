"""The outreach history (OutreachEvent): every outreach service writes a row in its own transaction. The rows
are append-only: on PostgreSQL a trigger refuses UPDATE and DELETE (a wrong row is corrected by a new one);
TRUNCATE fires no row trigger, so the test suite's flush and ``manage.py restore`` still work."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION outreach_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'integrity_constraint_violation',
        MESSAGE = format('%%s hanya boleh ditambah: baris yang sudah tercatat tidak dapat diubah atau dihapus '
                         '(catat koreksinya sebagai baris baru)', TG_TABLE_NAME),
        DETAIL = format('%%s ditolak pada baris id=%%s', TG_OP, OLD.id);
END
$$;
CREATE TRIGGER outreach_outreachevent_append_only BEFORE UPDATE OR DELETE ON outreach_outreachevent
FOR EACH ROW EXECUTE FUNCTION outreach_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS outreach_outreachevent_append_only ON outreach_outreachevent;
DROP FUNCTION IF EXISTS outreach_append_only();
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # (schema_editor.execute: a literal % is written %%)
        schema_editor.execute(APPEND_ONLY)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_schedule_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OutreachEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=60, verbose_name="tindakan")),
                ("data", models.JSONField(blank=True, default=dict, verbose_name="data")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="waktu")),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="outreach.outreachsession",
                    ),
                ),
            ],
            options={
                "verbose_name": "riwayat kegiatan",
                "verbose_name_plural": "riwayat kegiatan",
                "ordering": ["created_at", "pk"],
                "indexes": [models.Index(fields=["session", "created_at"], name="outreachevent_history_idx")],
            },
        ),
        migrations.RunPython(append_only, drop_append_only),
    ]
