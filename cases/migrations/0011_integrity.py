"""Integrity: soft deletion of cases, the periodic check of evidence files, and append-only audit rows.

``cases_caseevent`` (the timeline) and ``cases_referralresponse`` (what institutions answered) refuse UPDATE
and DELETE in the database itself (a PL/pgSQL trigger function): a wrong row is corrected by adding a
correcting row. TRUNCATE fires no row trigger, so the test suite's flush and ``manage.py restore`` (which
replaces the whole schema) still work. Migration 0017 replaces these triggers by django-pgtrigger's, declared
on the models.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY_TABLES = ("cases_caseevent", "cases_referralresponse")
APPEND_ONLY_POSTGRESQL = """
CREATE OR REPLACE FUNCTION netralitas_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'integrity_constraint_violation',
        MESSAGE = format('%%s hanya boleh ditambah: baris yang sudah tercatat tidak dapat diubah atau dihapus '
                         '(catat koreksinya sebagai baris baru)', TG_TABLE_NAME),
        DETAIL = format('%%s ditolak pada baris id=%%s', TG_OP, OLD.id);
END
$$;
""" + "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION netralitas_append_only();\n"
    for table in APPEND_ONLY_TABLES
)
DROP_POSTGRESQL = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};\n" for table in APPEND_ONLY_TABLES)
    + "DROP FUNCTION IF EXISTS netralitas_append_only();"
)


def append_only(apps, schema_editor):
    # (schema_editor.execute passes parameters: a literal % in the SQL is written %%)
    schema_editor.execute(APPEND_ONLY_POSTGRESQL)


def drop_append_only(apps, schema_editor):
    schema_editor.execute(DROP_POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_referral_reminded_on"),
        ("reference", "0003_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="deleted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="dihapus"),
        ),
        migrations.AddField(
            model_name="case",
            name="deleted_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="dihapus oleh",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="deletion_reason",
            field=models.TextField(blank=True, editable=False, verbose_name="alasan penghapusan"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="integrity",
            field=models.CharField(
                blank=True,
                choices=[
                    ("utuh", "Utuh"),
                    ("berubah", "Berkas tidak cocok dengan sidik SHA-256"),
                    ("hilang", "Berkas hilang dari penyimpanan"),
                ],
                editable=False,
                max_length=8,
                verbose_name="keutuhan berkas",
            ),
        ),
        migrations.AddField(
            model_name="evidence",
            name="integrity_sha256",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="SHA-256 saat diperiksa"),
        ),
        migrations.AddField(
            model_name="evidence",
            name="verified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="terakhir diperiksa"),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="case",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="events", to="cases.case"
            ),
        ),
        migrations.AlterField(
            model_name="referralresponse",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", False)),
                fields=["office", "-deleted_at"],
                name="case_deleted_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                condition=models.Q(models.Q(("file", ""), _negated=True), ("verified_at__isnull", True)),
                fields=["id"],
                name="evidence_never_verified_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                condition=models.Q(("file", ""), _negated=True),
                fields=["verified_at", "id"],
                name="evidence_verify_queue_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("deleted_at__isnull", True), ("deletion_reason", "")),
                    models.Q(("deleted_at__isnull", False), models.Q(("deletion_reason", ""), _negated=True)),
                    _connector="OR",
                ),
                name="case_deleted_with_reason",
            ),
        ),
        migrations.RunPython(append_only, drop_append_only, elidable=False),
    ]
