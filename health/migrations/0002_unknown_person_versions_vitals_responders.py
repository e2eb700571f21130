from django.db import migrations, models

# SQLite rebuilds a table to alter it and drops its triggers: the floor's counter (visits 0009) is
# put back on the emergency and intervention tables, and added to the responders ("I am on it" shows
# on every board and alarm).
BUMP = (
    "INSERT INTO visits_floorstate (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = visits_floorstate.version + 1"
)
REBUILT = ["health_emergency", "health_intervention"]
NEW = ["health_emergencyresponder"]


def floor_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in NEW:
            run(
                f"CREATE CONSTRAINT TRIGGER floor_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION visits_floor_changed()"
            )
    elif schema_editor.connection.vendor == "sqlite":
        for table in REBUILT + NEW:
            for event in ("INSERT", "UPDATE", "DELETE"):
                run(f"DROP TRIGGER IF EXISTS floor_changed_{table}_{event.lower()}")
                run(
                    f"CREATE TRIGGER floor_changed_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {BUMP}; END"
                )


def drop_floor_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in NEW:
            run(f"DROP TRIGGER IF EXISTS floor_changed ON {table}")
    elif schema_editor.connection.vendor == "sqlite":
        for table in NEW:
            for event in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS floor_changed_{table}_{event}")

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings


class Migration(migrations.Migration):

    dependencies = [
        ('health', '0001_initial'),
        ('visits', '0009_floor_state'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EmergencyResponder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='at')),
            ],
            options={
                'verbose_name': 'responder',
                'verbose_name_plural': 'responders',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalVitalSigns',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='at')),
                ('breathing_rate', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(80)], verbose_name='breathing rate (per minute)')),
                ('oxygen_saturation', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='oxygen saturation (%)')),
                ('pulse', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(300)], verbose_name='pulse (per minute)')),
                ('consciousness', models.CharField(blank=True, choices=[('A', 'Alert'), ('V', 'Responds to voice'), ('P', 'Responds to pain'), ('U', 'Unresponsive')], max_length=1, verbose_name='level of consciousness (AVPU)')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='recorded')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                ('withdrawn_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawing')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical vital signs',
                'verbose_name_plural': 'historical vital signs',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='VitalSigns',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(verbose_name='at')),
                ('breathing_rate', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(80)], verbose_name='breathing rate (per minute)')),
                ('oxygen_saturation', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='oxygen saturation (%)')),
                ('pulse', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(300)], verbose_name='pulse (per minute)')),
                ('consciousness', models.CharField(blank=True, choices=[('A', 'Alert'), ('V', 'Responds to voice'), ('P', 'Responds to pain'), ('U', 'Unresponsive')], max_length=1, verbose_name='level of consciousness (AVPU)')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('recorded_at', models.DateTimeField(blank=True, null=True, verbose_name='recorded')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                ('withdrawn_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawing')),
            ],
            options={
                'verbose_name': 'vital signs',
                'verbose_name_plural': 'vital signs',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='emergency',
            name='linked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='linked to a client code'),
        ),
        migrations.AddField(
            model_name='emergency',
            name='linked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='emergency',
            name='person_age_band',
            field=models.CharField(blank=True, choices=[('under_20', 'Under 20'), ('20_29', '20–29'), ('30_39', '30–39'), ('40_49', '40–49'), ('50_59', '50–59'), ('60_plus', '60 and over')], max_length=10, verbose_name='approximate age'),
        ),
        migrations.AddField(
            model_name='emergency',
            name='person_description',
            field=models.CharField(blank=True, max_length=200, verbose_name='description (no names)'),
        ),
        migrations.AddField(
            model_name='emergency',
            name='person_gender',
            field=models.CharField(blank=True, choices=[('M', 'Man'), ('K', 'Woman'), ('A', 'Other / not stated')], max_length=1, verbose_name='gender'),
        ),
        migrations.AddField(
            model_name='emergency',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='linked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='linked to a client code'),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='linked_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='person_age_band',
            field=models.CharField(blank=True, choices=[('under_20', 'Under 20'), ('20_29', '20–29'), ('30_39', '30–39'), ('40_49', '40–49'), ('50_59', '50–59'), ('60_plus', '60 and over')], max_length=10, verbose_name='approximate age'),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='person_description',
            field=models.CharField(blank=True, max_length=200, verbose_name='description (no names)'),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='person_gender',
            field=models.CharField(blank=True, choices=[('M', 'Man'), ('K', 'Woman'), ('A', 'Other / not stated')], max_length=1, verbose_name='gender'),
        ),
        migrations.AddField(
            model_name='historicalemergency',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='historicalintervention',
            name='recorded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='recorded'),
        ),
        migrations.AddField(
            model_name='historicalintervention',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='historicalintervention',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='withdrawn'),
        ),
        migrations.AddField(
            model_name='historicalintervention',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalintervention',
            name='withdrawn_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawing'),
        ),
        migrations.AddField(
            model_name='intervention',
            name='recorded_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='recorded'),
        ),
        migrations.AddField(
            model_name='intervention',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name='intervention',
            name='withdrawn_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='withdrawn'),
        ),
        migrations.AddField(
            model_name='intervention',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='intervention',
            name='withdrawn_reason',
            field=models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawing'),
        ),
        migrations.AlterField(
            model_name='emergency',
            name='client',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='emergencies', to='visits.client', verbose_name='client'),
        ),
        migrations.AddConstraint(
            model_name='emergency',
            constraint=models.CheckConstraint(condition=models.Q(('linked_at__isnull', True), ('client__isnull', False), _connector='OR'), name='emergency_linked_to_a_client'),
        ),
        migrations.AddConstraint(
            model_name='intervention',
            constraint=models.CheckConstraint(condition=models.Q(('withdrawn_at__isnull', True), models.Q(('withdrawn_reason', ''), _negated=True), _connector='OR'), name='intervention_withdrawn_with_reason'),
        ),
        migrations.AddField(
            model_name='emergencyresponder',
            name='by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='emergencyresponder',
            name='emergency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responders', to='health.emergency'),
        ),
        migrations.AddField(
            model_name='historicalvitalsigns',
            name='by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalvitalsigns',
            name='emergency',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='health.emergency'),
        ),
        migrations.AddField(
            model_name='historicalvitalsigns',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalvitalsigns',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='vitalsigns',
            name='by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='vitalsigns',
            name='emergency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='vital_signs', to='health.emergency'),
        ),
        migrations.AddField(
            model_name='vitalsigns',
            name='withdrawn_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='emergencyresponder',
            constraint=models.UniqueConstraint(fields=('emergency', 'by'), name='one_answer_per_responder'),
        ),
        migrations.AddConstraint(
            model_name='vitalsigns',
            constraint=models.CheckConstraint(condition=models.Q(('breathing_rate__isnull', False), ('oxygen_saturation__isnull', False), ('pulse__isnull', False), models.Q(('consciousness', ''), _negated=True), _connector='OR'), name='vital_signs_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='vitalsigns',
            constraint=models.CheckConstraint(condition=models.Q(('oxygen_saturation__lte', 100)), name='oxygen_saturation_at_most_100'),
        ),
        migrations.AddConstraint(
            model_name='vitalsigns',
            constraint=models.CheckConstraint(condition=models.Q(('withdrawn_at__isnull', True), models.Q(('withdrawn_reason', ''), _negated=True), _connector='OR'), name='vital_signs_withdrawn_with_reason'),
        ),
        migrations.RunPython(floor_triggers, drop_floor_triggers),
    ]
