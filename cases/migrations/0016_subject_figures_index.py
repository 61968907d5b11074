"""A case's subjects read from one covering index (the dashboard's subject figures); it takes the place of the
plain index of the case column, which the new one serves as well. Made before the old one is dropped, so that
the subjects are never without an index.

The old index is dropped by name, not by altering the field: Django alters a foreign key by dropping its
constraint and adding it again, which checks every subject while writes to cases and subjects wait. The
constraint stays as it is; only the model's state learns that the column has no index of its own."""

import django.db.models.deletion
from django.db import migrations, models

# The name Django gave the foreign key's index (schema_editor._create_index_name: table, column, no suffix).
OLD_INDEX = "cases_casesubject_case_id_51c9ca0d"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_case_list_recent_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casesubject",
            index=models.Index(fields=["case"], include=("id", "outcome", "person"), name="casesubject_figures_idx"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="casesubject",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="subjects",
                        to="cases.case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{OLD_INDEX}"',
                    reverse_sql=f'CREATE INDEX "{OLD_INDEX}" ON "cases_casesubject" ("case_id")',
                ),
            ],
        ),
    ]
