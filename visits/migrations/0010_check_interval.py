import django.core.validators
from django.db import migrations, models

# SQLite rebuilds a table to alter it (the check constraints here, and a column with a default may
# too) and drops its triggers: the floor's counter (0009) is put back on the two live tables altered.
# PostgreSQL alters in place and keeps them.
BUMP = (
    "INSERT INTO visits_floorstate (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = visits_floorstate.version + 1"
)
REBUILT = ["visits_boothsession", "visits_observation"]


def floor_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    run = schema_editor.execute
    for table in REBUILT:
        for event in ("INSERT", "UPDATE", "DELETE"):
            run(f"DROP TRIGGER IF EXISTS floor_changed_{table}_{event.lower()}")
            run(f"CREATE TRIGGER floor_changed_{table}_{event.lower()} AFTER {event} ON {table} BEGIN {BUMP}; END")


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0009_floor_state"),
    ]

    operations = [
        # Going back, this runs last: the triggers go back on the tables as 0009 left them.
        migrations.RunPython(migrations.RunPython.noop, floor_triggers),
        # Existing rows get 5 minutes, the default every route starts with.
        migrations.AddField(
            model_name="boothsession",
            name="check_interval_minutes",
            field=models.PositiveSmallIntegerField(default=5, verbose_name="check interval (minutes)"),
        ),
        migrations.AddField(
            model_name="observation",
            name="check_interval_minutes",
            field=models.PositiveSmallIntegerField(default=5, verbose_name="check interval (minutes)"),
        ),
        migrations.AddField(
            model_name="route",
            name="check_interval_minutes",
            field=models.PositiveSmallIntegerField(
                default=5,
                help_text="How often someone in a booth or in observation is checked on.",
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="check interval (minutes)",
            ),
        ),
        migrations.AddConstraint(
            model_name="boothsession",
            constraint=models.CheckConstraint(
                condition=models.Q(("check_interval_minutes__gte", 1)), name="booth_session_check_interval_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="observation",
            constraint=models.CheckConstraint(
                condition=models.Q(("check_interval_minutes__gte", 1)), name="observation_check_interval_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="route",
            constraint=models.CheckConstraint(
                condition=models.Q(("check_interval_minutes__gte", 1), ("check_interval_minutes__lte", 60)),
                name="route_check_interval_1_to_60",
            ),
        ),
        migrations.RunPython(floor_triggers, migrations.RunPython.noop),
    ]
