# Lead phones in E.164 ("+525512345678"), as leads are now stored; what is not a valid phone stays as it is.

from django.db import migrations


def lead_phones_to_e164(apps, schema_editor):
    from conversations.phones import phone_e164

    Lead = apps.get_model("leads", "Lead")
    for pk, phone in Lead.objects.exclude(customer_phone="").values_list("pk", "customer_phone").iterator():
        normalised = phone_e164(phone)
        if normalised and normalised != phone:
            Lead.objects.filter(pk=pk).update(customer_phone=normalised)


class Migration(migrations.Migration):

    dependencies = [
        ('leads', '0002_one_lead_per_car'),
    ]

    operations = [
        migrations.RunPython(lead_phones_to_e164, migrations.RunPython.noop),
    ]
