"""Create the role groups with their station permissions. Idempotent; later runs change nothing."""
from django.db import migrations


def create_roles(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # The station permissions are declared on staff.User; create them now so the groups can hold
    # them (Django would otherwise only create them after the whole migrate run).
    content_type, _ = ContentType.objects.get_or_create(app_label="staff", model="user")
    User = apps.get_model("staff", "User")
    for codename, name in User._meta.permissions:
        Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": str(name)})

    from staff.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
