from django.db import migrations, models

# Hand-outs are counted by the rollup from now on: a hand-out added, moved in time, moved to another item
# or changed in quantity marks its days, as the other counted records do (reports migration 0003).
TABLE, MOMENT, COLUMNS = "visits_handout", "at", ["at", "item_id", "quantity"]
PG_MARK = "INSERT INTO reports_rollupmark (utc_date) VALUES (({row}.at AT TIME ZONE 'UTC')::date)"
SQLITE_MARK = "INSERT INTO reports_rollupmark (utc_date) VALUES (date({row}.at))"


def _changed(distinct):
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in COLUMNS)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        old, new = PG_MARK.format(row="OLD"), PG_MARK.format(row="NEW")
        run(
            f"CREATE FUNCTION reports_mark_{TABLE}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {old}; END IF; "
            f"IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.at IS DISTINCT FROM NEW.at) THEN {new}; END IF; "
            "RETURN NULL; END $$"
        )
        run(
            f"CREATE TRIGGER rollup_mark AFTER INSERT OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION reports_mark_{TABLE}()"
        )
        run(
            f"CREATE TRIGGER rollup_mark_update AFTER UPDATE OF {', '.join(COLUMNS)} ON {TABLE} "
            f"FOR EACH ROW WHEN ({_changed('IS DISTINCT FROM')}) EXECUTE FUNCTION reports_mark_{TABLE}()"
        )
    elif vendor == "sqlite":
        old, new = SQLITE_MARK.format(row="OLD"), SQLITE_MARK.format(row="NEW")
        run(f"CREATE TRIGGER rollup_mark_{TABLE}_insert AFTER INSERT ON {TABLE} BEGIN {new}; END")
        run(f"CREATE TRIGGER rollup_mark_{TABLE}_delete AFTER DELETE ON {TABLE} BEGIN {old}; END")
        run(
            f"CREATE TRIGGER rollup_mark_{TABLE}_update AFTER UPDATE OF {', '.join(COLUMNS)} ON {TABLE} "
            f"WHEN {_changed('IS NOT')} BEGIN {old}; {new}; END"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run = schema_editor.execute
    if vendor == "postgresql":
        run(f"DROP TRIGGER IF EXISTS rollup_mark ON {TABLE}")
        run(f"DROP TRIGGER IF EXISTS rollup_mark_update ON {TABLE}")
        run(f"DROP FUNCTION IF EXISTS reports_mark_{TABLE}()")
    elif vendor == "sqlite":
        for event in ("insert", "delete", "update"):
            run(f"DROP TRIGGER IF EXISTS rollup_mark_{TABLE}_{event}")


def count_again(apps, schema_editor):
    """The days rolled up so far lack the new figures: the next ``rollup_daily`` counts every day afresh,
    and until it has run the reports count from the records, as they do for any day not rolled up."""
    apps.get_model("reports", "DailyFigures").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_rollup_marks"),
        ("visits", "0020_visit_first_booth_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyfigures",
            name="arrivals_by_hour",
            field=models.JSONField(default=list, verbose_name="arrivals by hour"),
        ),
        migrations.AddField(
            model_name="dailyfigures",
            name="handed_out",
            field=models.JSONField(default=dict, verbose_name="handed out"),
        ),
        migrations.RunPython(count_again, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
