"""A client's walk-in contacts by time, for the timeline's month index: counted per month of a year from
the index alone, as the other sources of the timeline are. Only an index is added; the table is not
rebuilt, so its triggers stay as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0018_client_deregistered_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["client", "-at"], name="contact_client_at"),
        ),
    ]
