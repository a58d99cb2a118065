# The model endpoint is the operator's (OPENAI_BASE_URL): an assistant no longer names its own, since the
# server's key would be sent to whatever URL staff typed there.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0006_api_key_labels'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='assistant',
            name='llm_base_url',
        ),
    ]
