import uuid

from django.db import migrations

# The starting warnings of visits.services.facility.DEFAULT_EQUIPMENT when this migration was written,
# copied so that the migration keeps meaning the same whatever the defaults become.
THRESHOLDS = {
    "Sprøyte 1 ml": 200,
    "Kanyle": 400,
    "Kokekar": 200,
    "Filter": 200,
    "Sterilt vann": 200,
    "Spritserviett": 400,
    "Askorbinsyre": 200,
    "Stasebånd": 50,
    "Folie til røyking": 20,
    "Kondomer": 100,
    "Nalokson nesespray": 20,
}


def set_default_thresholds(apps, schema_editor):
    """An item named as a default one, with no warning set yet (0), gets the default warning; an
    administrator's own value is never changed."""
    EquipmentItem = apps.get_model("visits", "EquipmentItem")
    for name, threshold in THRESHOLDS.items():
        EquipmentItem.objects.filter(name=name, low_stock_threshold=0).update(low_stock_threshold=threshold)
    # The settings are kept per process under the facility's token: a new token has them read again.
    Facility = apps.get_model("visits", "Facility")
    Facility.objects.update(settings_version=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0013_stock_count_needed"),
    ]

    operations = [
        migrations.RunPython(set_default_thresholds, migrations.RunPython.noop),
    ]
