"""A case's subjects read from one covering index (the dashboard's subject figures); it takes the place of the
plain index of the case column, which the new one serves as well. Made before the old one is dropped, so that
the subjects are never without an index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_case_list_recent_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casesubject",
            index=models.Index(fields=["case"], include=("id", "outcome", "person"), name="casesubject_figures_idx"),
        ),
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
    ]
