"""The security incident moves from staff to visits (a ban points at it), with its history: same tables, renamed."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# The incident tables keep their rows, keys and history; only their names follow the model's new app.
# (PostgreSQL and SQLite both carry the foreign keys that point at a renamed table along with it.)
TABLES = [
    ("staff_incident", "visits_incident"),
    ("staff_incident_clients", "visits_incident_clients"),
    ("staff_incident_staff", "visits_incident_staff"),
    ("staff_historicalincident", "visits_historicalincident"),
    ("staff_historicalincident_clients", "visits_historicalincident_clients"),
    ("staff_historicalincident_staff", "visits_historicalincident_staff"),
]
DATABASE = [
    migrations.RunSQL(f"ALTER TABLE {old} RENAME TO {new}", f"ALTER TABLE {new} RENAME TO {old}") for old, new in TABLES
]


STATE = [
    migrations.CreateModel(
        name="HistoricalIncident",
        fields=[
            ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("violence", "Violence"),
                        ("threats", "Threats"),
                        ("dealing", "Dealing on the premises"),
                        ("damage", "Damage"),
                        ("weapon", "Weapon"),
                        ("police", "Police called"),
                        ("outside", "Trouble outside the entrance"),
                        ("neighbours", "Neighbours' complaint"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="kind",
                ),
            ),
            ("occurred_at", models.DateTimeField(verbose_name="when")),
            (
                "area",
                models.CharField(
                    choices=[
                        ("room", "In a room"),
                        ("entrance", "At the entrance"),
                        ("outside", "Outside, in the neighbourhood"),
                    ],
                    default="room",
                    max_length=20,
                    verbose_name="where",
                ),
            ),
            (
                "other_party",
                models.CharField(
                    blank=True,
                    help_text="People who are not clients or staff, described without names: 'a neighbour', 'a passer-by'.",
                    max_length=500,
                    verbose_name="others involved",
                ),
            ),
            ("description", models.TextField(max_length=4000, verbose_name="what happened")),
            ("action_taken", models.TextField(max_length=4000, verbose_name="what was done")),
            ("police_called", models.BooleanField(default=False, verbose_name="police called")),
            ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
            ("version", models.PositiveIntegerField(default=1, editable=False)),
            ("history_change_reason", models.TextField(null=True)),
            ("history_id", models.AutoField(primary_key=True, serialize=False)),
            ("history_date", models.DateTimeField(db_index=True)),
            (
                "history_type",
                models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
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
            (
                "recorded_by",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="recorded by",
                ),
            ),
            (
                "room",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="visits.room",
                    verbose_name="room",
                ),
            ),
        ],
        options={
            "verbose_name": "historical security incident",
            "verbose_name_plural": "historical security incidents",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="Incident",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            (
                "kind",
                models.CharField(
                    choices=[
                        ("violence", "Violence"),
                        ("threats", "Threats"),
                        ("dealing", "Dealing on the premises"),
                        ("damage", "Damage"),
                        ("weapon", "Weapon"),
                        ("police", "Police called"),
                        ("outside", "Trouble outside the entrance"),
                        ("neighbours", "Neighbours' complaint"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                    verbose_name="kind",
                ),
            ),
            ("occurred_at", models.DateTimeField(verbose_name="when")),
            (
                "area",
                models.CharField(
                    choices=[
                        ("room", "In a room"),
                        ("entrance", "At the entrance"),
                        ("outside", "Outside, in the neighbourhood"),
                    ],
                    default="room",
                    max_length=20,
                    verbose_name="where",
                ),
            ),
            (
                "other_party",
                models.CharField(
                    blank=True,
                    help_text="People who are not clients or staff, described without names: 'a neighbour', 'a passer-by'.",
                    max_length=500,
                    verbose_name="others involved",
                ),
            ),
            ("description", models.TextField(max_length=4000, verbose_name="what happened")),
            ("action_taken", models.TextField(max_length=4000, verbose_name="what was done")),
            ("police_called", models.BooleanField(default=False, verbose_name="police called")),
            ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
            ("version", models.PositiveIntegerField(default=1, editable=False)),
            (
                "clients",
                models.ManyToManyField(
                    blank=True, related_name="incidents", to="visits.client", verbose_name="clients involved"
                ),
            ),
            (
                "recorded_by",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="recorded by",
                ),
            ),
            (
                "room",
                models.ForeignKey(
                    blank=True,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="visits.room",
                    verbose_name="room",
                ),
            ),
            (
                "staff",
                models.ManyToManyField(
                    blank=True, related_name="incidents", to=settings.AUTH_USER_MODEL, verbose_name="staff involved"
                ),
            ),
        ],
        options={
            "verbose_name": "security incident",
            "verbose_name_plural": "security incidents",
            "ordering": ["-occurred_at", "-pk"],
        },
    ),
    migrations.CreateModel(
        name="HistoricalIncident_staff",
        fields=[
            ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
            ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
            (
                "history",
                models.ForeignKey(
                    db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to="visits.historicalincident"
                ),
            ),
            (
                "user",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    db_tablespace="",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                ),
            ),
            (
                "incident",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    db_tablespace="",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="visits.incident",
                ),
            ),
        ],
        options={
            "verbose_name": "HistoricalIncident_staff",
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.CreateModel(
        name="HistoricalIncident_clients",
        fields=[
            ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
            ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
            (
                "client",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    db_tablespace="",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="visits.client",
                ),
            ),
            (
                "history",
                models.ForeignKey(
                    db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to="visits.historicalincident"
                ),
            ),
            (
                "incident",
                models.ForeignKey(
                    blank=True,
                    db_constraint=False,
                    db_tablespace="",
                    null=True,
                    on_delete=django.db.models.deletion.DO_NOTHING,
                    related_name="+",
                    to="visits.incident",
                ),
            ),
        ],
        options={
            "verbose_name": "HistoricalIncident_clients",
        },
        bases=(simple_history.models.HistoricalChanges, models.Model),
    ),
    migrations.AlterField(
        model_name="ban",
        name="incident",
        field=models.ForeignKey(
            blank=True,
            null=True,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="bans",
            to="visits.incident",
            verbose_name="incident",
        ),
    ),
    migrations.AddIndex(
        model_name="incident",
        index=models.Index(fields=["-occurred_at"], name="incident_occurred"),
    ),
    migrations.AddConstraint(
        model_name="incident",
        constraint=models.CheckConstraint(
            condition=models.Q(
                models.Q(("area", "room"), ("room__isnull", False)),
                models.Q(models.Q(("area", "room"), _negated=True), ("room__isnull", True)),
                _connector="OR",
            ),
            name="incident_room_matches_area",
        ),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0010_check_interval"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("staff", "0007_display"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=DATABASE),
    ]
