from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0009_forgotten_message'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='awaiting_reply',
            field=models.BooleanField(default=False, help_text='Guardado y todavía sin respuesta ni decisión de no responder.', verbose_name='espera respuesta'),
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('awaiting_reply', True)), fields=['created_at'], name='message_awaiting_reply'),
        ),
    ]
