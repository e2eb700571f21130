# The history of booth sessions and observations keeps the check interval copied from the route.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_historicalreferralfollowupchange"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalboothsession",
            name="check_interval_minutes",
            field=models.PositiveSmallIntegerField(default=5, verbose_name="check interval (minutes)"),
        ),
        migrations.AddField(
            model_name="historicalobservation",
            name="check_interval_minutes",
            field=models.PositiveSmallIntegerField(default=5, verbose_name="check interval (minutes)"),
        ),
    ]
