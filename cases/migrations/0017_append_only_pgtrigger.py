"""The append-only triggers of ``cases_caseevent`` and ``cases_referralresponse`` become django-pgtrigger's,
declared on the models (``cases.models.AppendOnly``): the hand-written ones of migration 0011 and their
function are dropped first. Same refusal (integrity_constraint_violation, the same message)."""

from importlib import import_module

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

integrity = import_module("cases.migrations.0011_integrity")


def drop_hand_written(apps, schema_editor):
    schema_editor.execute(integrity.DROP_POSTGRESQL)


def restore_hand_written(apps, schema_editor):
    schema_editor.execute(integrity.APPEND_ONLY_POSTGRESQL)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_subject_figures_index"),
    ]

    operations = [
        migrations.RunPython(drop_hand_written, restore_hand_written, elidable=False),
        pgtrigger.migrations.AddTrigger(
            model_name="caseevent",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = format('%s hanya boleh ditambah: baris yang sudah tercatat tidak dapat diubah atau dihapus (catat koreksinya sebagai baris baru)', TG_TABLE_NAME), DETAIL = format('%s ditolak pada baris id=%s', TG_OP, OLD.id);",
                    hash="e691fab1d030a6b432032a788e13e8215aaab3ad",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_320b9",
                    table="cases_caseevent",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="referralresponse",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = format('%s hanya boleh ditambah: baris yang sudah tercatat tidak dapat diubah atau dihapus (catat koreksinya sebagai baris baru)', TG_TABLE_NAME), DETAIL = format('%s ditolak pada baris id=%s', TG_OP, OLD.id);",
                    hash="1214bfea241eb2ebacccf5f7311afbd1837bde7f",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_82c82",
                    table="cases_referralresponse",
                    when="BEFORE",
                ),
            ),
        ),
    ]
