"""The staff roles may edit their assistants' saved replies (conversations.cannedreply)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from conversations.backoffice.roles import sync_roles


def grant_canned_replies(apps, schema_editor):
    # Permissions are made after all migrations (post_migrate); the roles need the new model's now.
    app_config = apps.get_app_config("conversations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("conversations", "0013_inbox")]

    operations = [migrations.RunPython(grant_canned_replies, migrations.RunPython.noop)]
