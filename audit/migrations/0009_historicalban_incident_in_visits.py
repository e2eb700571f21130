"""A ban's history names its incident in visits, where the incident model moved from staff."""

import django.db.models.deletion
from django.db import migrations, models

# The history's column keeps no database constraint: only the model it names changes.
DATABASE: list = []


STATE = [
    migrations.AlterField(
        model_name="historicalban",
        name="incident",
        field=models.ForeignKey(
            blank=True,
            db_constraint=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to="visits.incident",
            verbose_name="incident",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_access_kind_counseling_sessions"),
        ("visits", "0011_incident_from_staff"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=DATABASE),
    ]
