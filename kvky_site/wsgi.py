import os

from django.core.wsgi import get_wsgi_application

from nlu import pipeline

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kvky_site.settings")
application = get_wsgi_application()

# Train the intent models before the first request (once in gunicorn's master with preload_app).
pipeline.warm_up()
