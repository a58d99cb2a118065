# KVKy web and worker image: `docker build -t kvky .`
# Stage 1 installs the pinned dependencies into a virtualenv, collects the static files and trains the intent models;
# stage 2 copies only those into a clean slim image that runs as an unprivileged user.

FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-compile -r requirements.txt
COPY . .
# Static files are part of the image: hashed names, gzip/brotli copies, served by WhiteNoise.
# The build has no SECRET_KEY (it comes at run time); DEBUG=true lets this one command load the settings.
RUN DEBUG=true STATICFILES_MANIFEST=true WHITENOISE_USE_FINDERS=false python manage.py collectstatic --noinput
# The intent models are trained into the image (var/nlu): workers load their arrays at start and never import
# scikit-learn (about 100 MB a process). The fingerprint in the file name retrains if the examples change.
RUN DEBUG=true python manage.py train_intents

FROM python:3.12-slim AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    WHITENOISE_USE_FINDERS=false \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    PORT=8000
# The Spanish thesaurus lets FAQ words match their synonyms (THESAURUS_PATH) and the Spanish dictionary tells
# words from misspelt car names (SPANISH_DICTIONARY_PATH); the site runs without them.
# Unpinned (DL3008): the data package follows the base image's Debian release, and a pin breaks on its updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends mythes-es hunspell-es \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 kvky \
    && useradd --system --uid 10001 --gid kvky --home-dir /app --no-create-home --shell /usr/sbin/nologin kvky
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
