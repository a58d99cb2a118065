"""The staff roles: groups "Sales managers" and "HR staff" with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from conversations.backoffice.roles import ROLE_PERMISSIONS, sync_roles

ROLE_APPS = ("catalog", "leads", "conversations")


def _ensure_permissions(apps, schema_editor):
    # Permissions are made after all migrations (post_migrate); the roles need them now.
    for label in ROLE_APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _ensure_permissions(apps, schema_editor)
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalog", "0001_initial"),
        ("leads", "0001_initial"),
        ("conversations", "0002_conversation_satisfaction_scores"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
