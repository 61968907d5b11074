import django.contrib.postgres.fields
from django.db import migrations, models

INTERACTIONS = [
    ("unggah", "Mengunggah"),
    ("komentar", "Berkomentar"),
    ("bagikan", "Membagikan"),
    ("suka", "Menyukai"),
    ("ikuti", "Mengikuti / bergabung"),
    ("bingkai_profil", "Bingkai foto profil"),
    ("story", "Story / status"),
]


class Migration(migrations.Migration):
    """An evidence item holds several interactions (a like and a comment on the same post): the one interaction
    recorded so far becomes the list's only item."""

    dependencies = [
        ("cases", "0021_per_person_outcome"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="interactions",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(choices=INTERACTIONS, max_length=16),
                blank=True,
                default=list,
                size=None,
                verbose_name="interaksi",
            ),
        ),
        migrations.RunSQL(
            "UPDATE cases_evidence SET interactions = ARRAY[interaction] WHERE interaction <> ''",
            reverse_sql="UPDATE cases_evidence SET interaction = COALESCE(interactions[1], '')",
        ),
        migrations.RemoveField(model_name="evidence", name="interaction"),
    ]
