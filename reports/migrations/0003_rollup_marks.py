from django.db import migrations, models

# What the daily rollup counts (reports.selectors.charts.daily_counts): each table, the moment that
# puts a row on a day, and every column whose change changes a count of that day. An insert or a
# delete marks the moment's UTC date; an update of those columns marks the old and the new date.
WATCHED = {
    "visits_visit": ("checked_in_at", ["checked_in_at", "client_id"]),  # visits, unique clients
    "visits_client": ("registered_at", ["registered_at"]),
    "visits_refusal": ("at", ["at"]),
    "visits_boothsession": ("started_at", ["started_at"]),
    "health_emergency": ("started_at", ["started_at", "kind"]),  # emergencies, overdoses
}
# One new row a write, never an update of a shared one: writers of the same day never wait on each
# other, and a mark not yet committed is simply not seen by a recount, which leaves it for the next.
PG_MARK = "INSERT INTO reports_rollupmark (utc_date) VALUES (({row}.{moment} AT TIME ZONE 'UTC')::date)"
# SQLite stores the moment as UTC text.
SQLITE_MARK = "INSERT INTO reports_rollupmark (utc_date) VALUES (date({row}.{moment}))"


def _changed(columns, distinct):
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)


def postgresql_triggers(table, moment, columns):
    old, new = PG_MARK.format(row="OLD", moment=moment), PG_MARK.format(row="NEW", moment=moment)
    return [
        f"CREATE FUNCTION reports_mark_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {old}; END IF; "
        f"IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.{moment} IS DISTINCT FROM NEW.{moment}) THEN {new}; END IF; "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER rollup_mark AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION reports_mark_{table}()",
        # Only the counted columns, and only a real change: a check-out or a note costs nothing.
        f"CREATE TRIGGER rollup_mark_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"FOR EACH ROW WHEN ({_changed(columns, 'IS DISTINCT FROM')}) EXECUTE FUNCTION reports_mark_{table}()",
    ]


def sqlite_triggers(table, moment, columns):
    old, new = SQLITE_MARK.format(row="OLD", moment=moment), SQLITE_MARK.format(row="NEW", moment=moment)
    return [
        f"CREATE TRIGGER rollup_mark_{table}_insert AFTER INSERT ON {table} BEGIN {new}; END",
        f"CREATE TRIGGER rollup_mark_{table}_delete AFTER DELETE ON {table} BEGIN {old}; END",
        f"CREATE TRIGGER rollup_mark_{table}_update AFTER UPDATE OF {', '.join(columns)} ON {table} "
        f"WHEN {_changed(columns, 'IS NOT')} BEGIN {old}; {new}; END",
    ]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    make = {"postgresql": postgresql_triggers, "sqlite": sqlite_triggers}.get(vendor)
    if make is None:
        return
    for table, (moment, columns) in WATCHED.items():
        for statement in make(table, moment, columns):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    for table in WATCHED:
        if vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS rollup_mark ON {table}")
            run(f"DROP TRIGGER IF EXISTS rollup_mark_update ON {table}")
            run(f"DROP FUNCTION IF EXISTS reports_mark_{table}()")
        elif vendor == "sqlite":
            for event in ("insert", "delete", "update"):
                run(f"DROP TRIGGER IF EXISTS rollup_mark_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_day_sheet_permission"),
        ("visits", "0017_special_hours_names"),
        ("health", "0003_health_services_recorded_together"),
    ]

    operations = [
        migrations.CreateModel(
            name="RollupMark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("utc_date", models.DateField(db_index=True, verbose_name="date (UTC)")),
            ],
            options={
                "verbose_name": "rollup mark",
                "verbose_name_plural": "rollup marks",
            },
        ),
        # The records already there are in the rollup as it was last counted; only changes from now on mark.
        migrations.RunPython(create_triggers, drop_triggers),
    ]
