from django.db import migrations, models

# The live tables: every insert, update or delete in them raises the floor's version.
WATCHED = [
    ("visits", "Visit"),
    ("visits", "BoothSession"),
    ("visits", "Observation"),
    ("visits", "ObservationCheck"),
    ("visits", "StockBalance"),
    ("health", "Emergency"),
    ("health", "Intervention"),
    ("staff", "Shift"),
    ("staff", "ShiftAssignment"),
]
BUMP = (
    "INSERT INTO visits_floorstate (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = visits_floorstate.version + 1"
)


def _tables(apps):
    return [apps.get_model(app, model)._meta.db_table for app, model in WATCHED]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    run("INSERT INTO visits_floorstate (id, version) VALUES (1, 0)")
    if vendor == "postgresql":
        run(
            "CREATE FUNCTION visits_floor_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in _tables(apps):
            # Deferred to the commit: the counter row is locked only as the transaction ends.
            run(
                f"CREATE CONSTRAINT TRIGGER floor_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION visits_floor_changed()"
            )
    elif vendor == "sqlite":  # one writer at a time: a plain trigger cannot wait on another
        for table in _tables(apps):
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER floor_changed_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {BUMP}; END"
                )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        for table in _tables(apps):
            run(f"DROP TRIGGER IF EXISTS floor_changed ON {table}")
        run("DROP FUNCTION IF EXISTS visits_floor_changed()")
    elif vendor == "sqlite":
        for table in _tables(apps):
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS floor_changed_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0008_facility_settings_version"),
        ("health", "0001_initial"),
        ("staff", "0003_roster_handover_incidents"),
    ]

    operations = [
        migrations.CreateModel(
            name="FloorState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="floor_state_is_single_row")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
