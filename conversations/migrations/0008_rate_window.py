# Rate-limit windows in the database, shared by every process when Redis is not configured
# (conversations/ratelimit.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conversations', '0007_llm_operator_endpoint'),
    ]

    operations = [
        migrations.CreateModel(
            name='RateWindow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('scope', models.CharField(max_length=40)),
                ('key_hash', models.CharField(max_length=64)),
                ('window_start', models.FloatField(help_text='Unix time the window opened')),
                ('count', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'ventana de límite',
                'verbose_name_plural': 'ventanas de límite',
                'constraints': [
                    models.UniqueConstraint(fields=('scope', 'key_hash'), name='ratewindow_unique_key'),
                ],
            },
        ),
    ]
