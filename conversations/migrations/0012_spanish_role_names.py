"""The staff roles' groups get Spanish names ("Sales managers" → "Gerentes de ventas", "HR staff" → "Personal de RH")."""

from django.db import migrations

NAMES = {"Sales managers": "Gerentes de ventas", "HR staff": "Personal de RH"}


def _rename(apps, names: dict[str, str]) -> None:
    groups = apps.get_model("auth", "Group").objects
    for old, new in names.items():
        if not groups.filter(name=new).exists():  # 0003 already made it under the new name on a fresh site
            groups.filter(name=old).update(name=new)


def to_spanish(apps, schema_editor):
    _rename(apps, NAMES)


def to_english(apps, schema_editor):
    _rename(apps, {new: old for old, new in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [("conversations", "0011_api_key_scopes_and_webhooks"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(to_spanish, to_english)]
