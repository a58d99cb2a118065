# Forgotten customers' message ids (as keyed hashes), and API senders that are phones stored in E.164.

from django.db import migrations, models


def api_senders_to_e164(apps, schema_editor):
    """'+5215512345678' or '55 1234 5678' from the API -> '+525512345678', as the API now stores them.

    A sender whose E.164 form is taken by another conversation of the same assistant keeps its old form
    (merging two transcripts is a person's call); the most recent conversation gets the E.164 sender.
    """
    from conversations.phones import phone_e164

    Conversation = apps.get_model("conversations", "Conversation")
    for conversation in Conversation.objects.filter(channel="api").order_by("-last_message_at").iterator():
        normalised = phone_e164(conversation.sender)
        if not normalised or normalised == conversation.sender:
            continue
        taken = Conversation.objects.filter(
            assistant_id=conversation.assistant_id, channel="api", sender=normalised
        ).exists()
        if not taken:
            Conversation.objects.filter(pk=conversation.pk).update(sender=normalised)


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0008_rate_window'),
    ]

    operations = [
        migrations.CreateModel(
            name='ForgottenMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(help_text='HMAC-SHA256 del ID externo (p. ej. MessageSid de Twilio)', max_length=64, unique=True, verbose_name='huella')),
                ('forgotten_at', models.DateTimeField(auto_now_add=True, verbose_name='olvidado')),
            ],
            options={
                'verbose_name': 'mensaje olvidado',
                'verbose_name_plural': 'mensajes olvidados',
            },
        ),
        migrations.RunPython(api_senders_to_e164, migrations.RunPython.noop),
    ]
