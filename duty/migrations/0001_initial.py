"""The roster, staffing minimums and handover log move from staff to duty: the same tables, renamed."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The tables keep their rows, keys and history; only their names follow the models' new app.
# (PostgreSQL and SQLite both carry the foreign keys that point at a renamed table along with it.)
TABLES = [
    ("staff_shift", "duty_shift"),
    ("staff_historicalshift", "duty_historicalshift"),
    ("staff_shiftassignment", "duty_shiftassignment"),
    ("staff_staffingminimum", "duty_staffingminimum"),
    ("staff_handover", "duty_handover"),
    ("staff_handover_clients_of_concern", "duty_handover_clients_of_concern"),
    ("staff_handover_incidents", "duty_handover_incidents"),
    ("staff_handoveracknowledgement", "duty_handoveracknowledgement"),
]

# The floor's counter (visits 0009) watches the shift tables. PostgreSQL's trigger goes with the
# table; SQLite's triggers go too but are named after the table, so they are made again under the
# new name, for a later migration that rebuilds the table to find them.
FLOOR_TABLES = [("staff_shift", "duty_shift"), ("staff_shiftassignment", "duty_shiftassignment")]
BUMP = (
    "INSERT INTO visits_floorstate (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = visits_floorstate.version + 1"
)


def _rename_floor_triggers(schema_editor, *, from_prefix: str, to_prefix: str) -> None:
    """Make the triggers of the shift tables (named duty_* at this point either way) again under new names."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for old, new in FLOOR_TABLES:
        names = {"staff_": old, "duty_": new}
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS floor_changed_{names[from_prefix]}_{event.lower()}")
            schema_editor.execute(
                f"CREATE TRIGGER floor_changed_{names[to_prefix]}_{event.lower()} AFTER {event} ON {new} "
                f"BEGIN {BUMP}; END"
            )


# Forwards after the tables are renamed; backwards (in reverse order) before they get their old names.
def floor_triggers_forward(apps, schema_editor):
    _rename_floor_triggers(schema_editor, from_prefix="staff_", to_prefix="duty_")


def floor_triggers_backward(apps, schema_editor):
    _rename_floor_triggers(schema_editor, from_prefix="duty_", to_prefix="staff_")


DATABASE = [
    *(
        migrations.RunSQL(f"ALTER TABLE {old} RENAME TO {new}", f"ALTER TABLE {new} RENAME TO {old}")
        for old, new in TABLES
    ),
    migrations.RunPython(floor_triggers_forward, floor_triggers_backward),
]


STATE = [
    migrations.CreateModel(
        name="HistoricalShift",
        fields=[
            ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
            ("team", models.TextField(blank=True, verbose_name="staff and their roles")),
            ("starts_at", models.DateTimeField(verbose_name="starts")),
            ("ends_at", models.DateTimeField(verbose_name="ends")),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("created_at", models.DateTimeField(verbose_name="planned at")),
            ("version", models.PositiveIntegerField(default=1, editable=False)),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            ("history_change_reason", models.CharField(max_length=100, null=True)),
            (
                "history_type",
                models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
            ),
            (
                "created_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="planned by",
                ),
            ),
            (
                "history_user",
                models.ForeignKey(
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
        ],
        options={
            "verbose_name": "historical shift",
            "verbose_name_plural": "historical shifts",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="Shift",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("starts_at", models.DateTimeField(verbose_name="starts")),
            ("ends_at", models.DateTimeField(verbose_name="ends")),
            ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
            ("created_at", models.DateTimeField(verbose_name="planned at")),
            ("version", models.PositiveIntegerField(default=1, editable=False)),
            (
                "created_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="planned by",
                ),
            ),
        ],
        options={
            "verbose_name": "shift",
            "verbose_name_plural": "shifts",
            "ordering": ["starts_at", "pk"],
            "permissions": [("plan_roster", "Can plan the roster"), ("view_roster", "Can see the roster")],
        },
    ),
    migrations.CreateModel(
        name="Handover",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("written_at", models.DateTimeField(verbose_name="written at")),
            (
                "concern_notes",
                models.TextField(blank=True, max_length=4000, verbose_name="about the clients of concern"),
            ),
            ("incidents_note", models.TextField(blank=True, max_length=4000, verbose_name="incidents")),
            ("open_matters", models.TextField(blank=True, max_length=4000, verbose_name="open emergencies or visits")),
            ("open_visits", models.JSONField(blank=True, default=list, verbose_name="open visits when written")),
            ("stock_problems", models.TextField(blank=True, max_length=4000, verbose_name="stock problems")),
            ("other_notes", models.TextField(blank=True, max_length=4000, verbose_name="other notes")),
            (
                "clients_of_concern",
                models.ManyToManyField(
                    blank=True, related_name="handovers", to="visits.client", verbose_name="clients of concern"
                ),
            ),
            (
                "incidents",
                models.ManyToManyField(
                    blank=True, related_name="handovers", to="visits.incident", verbose_name="incidents this shift"
                ),
            ),
            (
                "written_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="handovers",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="written by",
                ),
            ),
            (
                "shift",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.SET_NULL,
                    related_name="handovers",
                    to="duty.shift",
                    verbose_name="shift",
                ),
            ),
        ],
        options={
            "verbose_name": "handover",
            "verbose_name_plural": "handovers",
            "ordering": ["-written_at", "-pk"],
            "permissions": [("acknowledge_handover", "Can acknowledge handovers as the next duty officer")],
        },
    ),
    migrations.CreateModel(
        name="ShiftAssignment",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (
                "role",
                models.CharField(
                    choices=[
                        ("reception", "Reception"),
                        ("counselor", "Counselor"),
                        ("health", "Health worker"),
                        ("duty", "Duty officer"),
                    ],
                    max_length=20,
                    verbose_name="role on the shift",
                ),
            ),
            ("is_duty_officer", models.BooleanField(default=False, verbose_name="duty officer")),
            (
                "shift",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="assignments",
                    to="duty.shift",
                    verbose_name="shift",
                ),
            ),
            (
                "user",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="shift_assignments",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="staff",
                ),
            ),
        ],
        options={
            "verbose_name": "shift assignment",
            "verbose_name_plural": "shift assignments",
            "ordering": ["-is_duty_officer", "role", "user__username"],
        },
    ),
    migrations.CreateModel(
        name="StaffingMinimum",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (
                "role",
                models.CharField(
                    choices=[
                        ("reception", "Reception"),
                        ("counselor", "Counselor"),
                        ("health", "Health worker"),
                        ("duty", "Duty officer"),
                    ],
                    max_length=20,
                    verbose_name="role",
                ),
            ),
            (
                "count",
                models.PositiveSmallIntegerField(
                    default=1,
                    validators=[
                        django.core.validators.MinValueValidator(1),
                        django.core.validators.MaxValueValidator(50),
                    ],
                    verbose_name="at least",
                ),
            ),
            (
                "weekday",
                models.PositiveSmallIntegerField(
                    blank=True,
                    choices=[
                        (0, "Monday"),
                        (1, "Tuesday"),
                        (2, "Wednesday"),
                        (3, "Thursday"),
                        (4, "Friday"),
                        (5, "Saturday"),
                        (6, "Sunday"),
                    ],
                    help_text="Empty: every day.",
                    null=True,
                    verbose_name="weekday",
                ),
            ),
            (
                "from_time",
                models.TimeField(blank=True, help_text="Empty: from opening.", null=True, verbose_name="from"),
            ),
            (
                "until_time",
                models.TimeField(blank=True, help_text="Empty: until closing.", null=True, verbose_name="until"),
            ),
        ],
        options={
            "verbose_name": "staffing minimum",
            "verbose_name_plural": "staffing minimums",
            "ordering": ["weekday", "from_time", "role"],
            "constraints": [
                models.CheckConstraint(condition=models.Q(("count__gte", 1)), name="staffing_minimum_positive"),
                models.CheckConstraint(
                    condition=models.Q(
                        ("from_time__isnull", True),
                        ("until_time__isnull", True),
                        ("until_time__gt", models.F("from_time")),
                        _connector="OR",
                    ),
                    name="staffing_minimum_until_after_from",
                ),
            ],
        },
    ),
    migrations.CreateModel(
        name="HandoverAcknowledgement",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("acknowledged_at", models.DateTimeField(verbose_name="acknowledged at")),
            (
                "handover",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="acknowledgements",
                    to="duty.handover",
                    verbose_name="handover",
                ),
            ),
            (
                "user",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="handover_acknowledgements",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="read by",
                ),
            ),
        ],
        options={
            "verbose_name": "handover acknowledgement",
            "verbose_name_plural": "handover acknowledgements",
            "ordering": ["acknowledged_at"],
            "constraints": [
                models.UniqueConstraint(fields=("handover", "user"), name="one_acknowledgement_per_reader")
            ],
        },
    ),
    migrations.AddIndex(
        model_name="shift",
        index=models.Index(fields=["starts_at", "ends_at"], name="shift_period"),
    ),
    migrations.AddConstraint(
        model_name="shift",
        constraint=models.CheckConstraint(
            condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="shift_ends_after_start"
        ),
    ),
    migrations.AddIndex(
        model_name="handover",
        index=models.Index(fields=["-written_at"], name="handover_written"),
    ),
    migrations.AddConstraint(
        model_name="shiftassignment",
        constraint=models.UniqueConstraint(fields=("shift", "user"), name="one_assignment_per_person_per_shift"),
    ),
    migrations.AddConstraint(
        model_name="shiftassignment",
        constraint=models.UniqueConstraint(
            condition=models.Q(("is_duty_officer", True)), fields=("shift",), name="one_duty_officer_per_shift"
        ),
    ),
    migrations.AddConstraint(
        model_name="shiftassignment",
        constraint=models.CheckConstraint(
            condition=models.Q(("is_duty_officer", False), ("role", "duty"), _connector="OR"),
            name="duty_officer_has_duty_role",
        ),
    ),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("visits", "0011_incident_from_staff"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("staff", "0007_display"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=DATABASE),
    ]
