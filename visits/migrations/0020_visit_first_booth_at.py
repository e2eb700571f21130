from django.db import migrations, models

# The visit's first booth session start, kept by the database from the sessions whatever the write path
# (services, admin, corrections, deletes): the reports' wait for a booth then reads the visits alone.
PG_FUNCTION = """
CREATE FUNCTION visits_first_booth() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE visit bigint;
BEGIN
    FOREACH visit IN ARRAY ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN OLD.visit_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.visit_id END
    ] LOOP
        IF visit IS NOT NULL THEN
            UPDATE visits_visit SET first_booth_at = first.at
            FROM (SELECT MIN(started_at) AS at FROM visits_boothsession WHERE visit_id = visit) AS first
            WHERE id = visit AND first_booth_at IS DISTINCT FROM first.at;
        END IF;
    END LOOP;
    RETURN NULL;
END $$
"""
PG_TRIGGERS = [
    "CREATE TRIGGER first_booth AFTER INSERT OR DELETE ON visits_boothsession "
    "FOR EACH ROW EXECUTE FUNCTION visits_first_booth()",
    "CREATE TRIGGER first_booth_update AFTER UPDATE OF visit_id, started_at ON visits_boothsession FOR EACH ROW "
    "WHEN (OLD.visit_id IS DISTINCT FROM NEW.visit_id OR OLD.started_at IS DISTINCT FROM NEW.started_at) "
    "EXECUTE FUNCTION visits_first_booth()",
]
SQLITE_SET = (
    "UPDATE visits_visit SET first_booth_at = "
    "(SELECT MIN(started_at) FROM visits_boothsession WHERE visit_id = {row}.visit_id) WHERE id = {row}.visit_id"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER first_booth_insert AFTER INSERT ON visits_boothsession BEGIN {SQLITE_SET.format(row='NEW')}; END",
    f"CREATE TRIGGER first_booth_delete AFTER DELETE ON visits_boothsession BEGIN {SQLITE_SET.format(row='OLD')}; END",
    "CREATE TRIGGER first_booth_update AFTER UPDATE OF visit_id, started_at ON visits_boothsession "
    f"BEGIN {SQLITE_SET.format(row='OLD')}; {SQLITE_SET.format(row='NEW')}; END",
]
FIRST = "SELECT visit_id, MIN(started_at) AS at FROM visits_boothsession GROUP BY visit_id"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        run(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            run(statement)
        # The visits there already: the floor's and the rollup's triggers need not see this fill.
        run("ALTER TABLE visits_visit DISABLE TRIGGER USER")
        run(f"UPDATE visits_visit SET first_booth_at = first.at FROM ({FIRST}) AS first WHERE id = first.visit_id")
        run("ALTER TABLE visits_visit ENABLE TRIGGER USER")
    elif vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            run(statement)
        run(
            "UPDATE visits_visit SET first_booth_at = "
            "(SELECT MIN(started_at) FROM visits_boothsession WHERE visit_id = visits_visit.id) "
            "WHERE id IN (SELECT visit_id FROM visits_boothsession)"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        run("DROP TRIGGER IF EXISTS first_booth ON visits_boothsession")
        run("DROP TRIGGER IF EXISTS first_booth_update ON visits_boothsession")
        run("DROP FUNCTION IF EXISTS visits_first_booth()")
    elif vendor == "sqlite":
        for event in ("insert", "delete", "update"):
            run(f"DROP TRIGGER IF EXISTS first_booth_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0019_contact_client_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="first_booth_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="first booth session started"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
