import gc
import os

from django.core.wsgi import get_wsgi_application

from nlu import pipeline

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")
application = get_wsgi_application()

# Train the intent models before the first request (once in gunicorn's master with preload_app).
pipeline.warm_up()

# What start-up built (the language data, the intent models, the Spanish dictionary, the sentence encoder) lives
# as long as the process: moved out of the collector's reach, its pages stay shared with the workers gunicorn
# forks from this master instead of being copied into each when a collection walks them.
gc.freeze()
