"""Pemilu's finding and initial-review limits count working days (Perbawaslu 7/2022), as its report and decision
limits already did. Elections still on the old defaults (calendar days) are moved; an election whose rules an
admin changed is left as it is."""

from django.db import migrations


def to_working_days(apps, schema_editor):
    Election = apps.get_model("reference", "Election")
    for field in ("finding_day_kind", "review_day_kind"):
        Election.objects.filter(kind="pemilu", **{field: "kalender"}).update(**{field: "kerja"})


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_constraint_messages")]

    operations = [migrations.RunPython(to_working_days, migrations.RunPython.noop)]
