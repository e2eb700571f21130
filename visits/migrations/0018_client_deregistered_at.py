"""The date a client was deregistered, beside the status, for the annual report's deregistrations.

Filled for clients deregistered before now from the change history: the moment of the last change that
turned the status to "deregistered" (or, when the history starts with the client deregistered, its first
record). A client with no such history keeps no date.
"""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Client = apps.get_model("visits", "Client")
    HistoricalClient = apps.get_model("audit", "HistoricalClient")
    deregistered = set(Client.objects.filter(status="deregistered").values_list("pk", flat=True))
    if not deregistered:
        return
    dates = {}
    previous = {}
    rows = (
        HistoricalClient.objects.filter(id__in=deregistered)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status")
    )
    for pk, when, status in rows.iterator():
        if status == "deregistered" and previous.get(pk) != "deregistered":
            dates[pk] = when
        previous[pk] = status
    changed = [Client(pk=pk, deregistered_at=when) for pk, when in dates.items()]
    Client.objects.bulk_update(changed, ["deregistered_at"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0017_special_hours_names"),
        ("audit", "0012_historicalrefusal_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="deregistered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deregistered at"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
