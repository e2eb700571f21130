"""The roster, handover log and incidents are no longer staff's: duty and visits hold them now."""

from django.db import migrations

# The models left staff for duty and visits (their tables were renamed there); staff only forgets them.
DATABASE: list = []

MOVED = {
    "duty": ["shift", "historicalshift", "shiftassignment", "staffingminimum", "handover", "handoveracknowledgement"],
    "visits": ["incident", "historicalincident", "historicalincident_clients", "historicalincident_staff"],
}


def move_content_types(apps, schema_editor, *, source="staff", reverse=False):
    """Relabel the moved models' content types, so their permissions (the same rows, the same ids) stay
    with every group and user that holds them, and the admin's log keeps pointing at the right model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for target, models_ in MOVED.items():
        old, new = (target, source) if reverse else (source, target)
        for model in models_:
            current = ContentType.objects.filter(app_label=old, model=model).first()
            if current is None:
                continue  # a database that never had the model's content type: post_migrate makes it
            # One made under the new label meanwhile holds only permissions nobody was given yet.
            ContentType.objects.filter(app_label=new, model=model).delete()
            current.app_label = new
            current.save(update_fields=["app_label"])


def content_types_forward(apps, schema_editor):
    move_content_types(apps, schema_editor)


def content_types_backward(apps, schema_editor):
    move_content_types(apps, schema_editor, reverse=True)


STATE = [
    migrations.RemoveField(
        model_name="handover",
        name="clients_of_concern",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="incidents",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="shift",
    ),
    migrations.RemoveField(
        model_name="handover",
        name="written_by",
    ),
    migrations.RemoveField(
        model_name="handoveracknowledgement",
        name="handover",
    ),
    migrations.RemoveField(
        model_name="handoveracknowledgement",
        name="user",
    ),
    migrations.RemoveField(
        model_name="historicalincident",
        name="history_user",
    ),
    migrations.RemoveField(
        model_name="historicalincident",
        name="recorded_by",
    ),
    migrations.RemoveField(
        model_name="historicalincident",
        name="room",
    ),
    migrations.RemoveField(
        model_name="historicalincident_clients",
        name="history",
    ),
    migrations.RemoveField(
        model_name="historicalincident_staff",
        name="history",
    ),
    migrations.RemoveField(
        model_name="historicalincident_clients",
        name="client",
    ),
    migrations.RemoveField(
        model_name="historicalincident_clients",
        name="incident",
    ),
    migrations.RemoveField(
        model_name="historicalincident_staff",
        name="incident",
    ),
    migrations.RemoveField(
        model_name="historicalincident_staff",
        name="user",
    ),
    migrations.RemoveField(
        model_name="historicalshift",
        name="created_by",
    ),
    migrations.RemoveField(
        model_name="historicalshift",
        name="history_user",
    ),
    migrations.RemoveField(
        model_name="incident",
        name="clients",
    ),
    migrations.RemoveField(
        model_name="incident",
        name="recorded_by",
    ),
    migrations.RemoveField(
        model_name="incident",
        name="room",
    ),
    migrations.RemoveField(
        model_name="incident",
        name="staff",
    ),
    migrations.RemoveField(
        model_name="shift",
        name="created_by",
    ),
    migrations.RemoveField(
        model_name="shiftassignment",
        name="shift",
    ),
    migrations.RemoveField(
        model_name="shiftassignment",
        name="user",
    ),
    migrations.DeleteModel(
        name="StaffingMinimum",
    ),
    migrations.DeleteModel(
        name="Handover",
    ),
    migrations.DeleteModel(
        name="HandoverAcknowledgement",
    ),
    migrations.DeleteModel(
        name="HistoricalIncident",
    ),
    migrations.DeleteModel(
        name="HistoricalIncident_clients",
    ),
    migrations.DeleteModel(
        name="HistoricalIncident_staff",
    ),
    migrations.DeleteModel(
        name="HistoricalShift",
    ),
    migrations.DeleteModel(
        name="Incident",
    ),
    migrations.DeleteModel(
        name="Shift",
    ),
    migrations.DeleteModel(
        name="ShiftAssignment",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_historicalban_incident_in_visits"),
        ("staff", "0007_display"),
        ("visits", "0011_incident_from_staff"),
        ("duty", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE, database_operations=DATABASE),
        migrations.RunPython(content_types_forward, content_types_backward),
    ]
