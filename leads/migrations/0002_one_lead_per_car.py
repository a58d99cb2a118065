from django.db import migrations, models


def detach_duplicate_leads(apps, schema_editor) -> None:
    """Keep the oldest lead per car and conversation; later duplicates lose the car link, nothing else.

    Customers may hold a duplicate's folio and staff may have worked it, so it stays (its vehicle label
    still names the car) with a note pointing at the lead that keeps the car.
    """
    Lead = apps.get_model("leads", "Lead")
    kept: dict[tuple[int, int], str] = {}
    duplicated = Lead.objects.filter(conversation__isnull=False, vehicle__isnull=False).order_by("created_at", "pk")
    for lead in duplicated.iterator():
        key = (lead.conversation_id, lead.vehicle_id)
        if key not in kept:
            kept[key] = lead.folio
            continue
        note = f"Duplicado del prospecto {kept[key]} (mismo auto en la misma conversación)."
        lead.notes = f"{lead.notes}\n{note}".strip()
        lead.vehicle_id = None
        lead.save(update_fields=["notes", "vehicle"])


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [
        migrations.RunPython(detach_duplicate_leads, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="lead",
            constraint=models.UniqueConstraint(
                condition=models.Q(conversation__isnull=False, vehicle__isnull=False),
                fields=("conversation", "vehicle"),
                name="lead_one_per_car_per_conversation",
            ),
        ),
    ]
