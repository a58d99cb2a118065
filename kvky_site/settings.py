"""Settings for the KVKy site.

Everything that changes between machines comes from the environment (django-environ);
nothing else in the project reads os.environ. The defaults are the embedded mode:
SQLite, an in-process cache and the rules engine, with no network and no API key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (make run writes one with a SECRET_KEY); ENV_FILE names another, e.g. /dev/null for none.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)


# For DEBUG (local development) only: anyone can read it here and sign web-chat tokens or sessions with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-kvky-local-development-key-change-me"


def _secret_key() -> str:
    key_file = env.str("SECRET_KEY_FILE", default="")
    if key_file:
        return Path(key_file).read_text(encoding="utf-8").strip()
    return env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = _secret_key()
if not DEBUG and SECRET_KEY.strip() in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is empty or the built-in development key while DEBUG is off: set SECRET_KEY (or "
        "SECRET_KEY_FILE) to a long random value, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))', "
        "or DEBUG=true for local development."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "axes",
    "catalog",
    "financing",
    "leads",
    "conversations",
]

MIDDLEWARE = [
    # Production: request id and latency first, so they cover everything below, then the probes.
    "kvky_site.request_id.RequestIdMiddleware",
    "kvky_site.metrics.RequestMetricsMiddleware",
    "kvky_site.health.OpsEndpointsMiddleware",
    # Reliability: a database outage answers 503 + Retry-After (JSON), so callers and Twilio retry.
    "kvky_site.database_errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kvky_site.admin_guard.AdminQueryGuardMiddleware",  # odd admin query parameters: 400, not 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its lockout page
]

ROOT_URLCONF = "kvky_site.urls"
WSGI_APPLICATION = "kvky_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
    {
        # The assistants' replies are plain text (WhatsApp, JSON): no HTML escaping.
        "NAME": "replies",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {"autoescape": False, "builtins": ["conversations.templatetags.replies"]},
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions and a busy
    # timeout make concurrent writers wait instead of failing with "database is locked";
    # the project's backend queues those writers on a file lock (kvky_site/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "kvky_site.sqlite"
    # Tests run on an in-memory database, as they would on Django's own SQLite backend.
    DATABASES["default"].setdefault("TEST", {"NAME": ":memory:"})
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
        }
    )
# Keep each worker thread's connection between requests (opening one per request cost ~1 ms of a
# 10 ms chat turn); the health check drops a connection the server closed meanwhile.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (shared across processes when REDIS_URL is set) ----------------
# Rate limits count in Redis when it is set, otherwise in the database (conversations/ratelimit.py).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kvky"}}

# --- Client addresses behind proxies (kvky_site/client_address.py, gunicorn.conf.py) ---
# The proxies in front of the site (addresses or CIDRs, e.g. the ingress pods' 10.0.0.0/8): only their
# X-Forwarded-For entries and X-Forwarded-Proto are believed. Empty: nobody's, REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# --- Back office: admin login rate limiting (django-axes) ------------------
AUTHENTICATION_BACKENDS = [
    "conversations.backoffice.auth_backends.LoginRateLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)  # hours
# Lock the username tried from that address: a typo elsewhere does not lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"
# Behind the ingress REMOTE_ADDR is the ingress: lock the client's own address (see TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "kvky_site.client_address.login_client_address"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "es-mx"
# The back office speaks only Mexican Spanish, whatever the browser asks for; locale/ holds our translations
# of Django's admin and django-import-export (their Spanish catalogs miss strings and speak "usted").
LANGUAGES = [("es-mx", "Español de México")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Mexico_City")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
# The hashed, compressed manifest exists only after collectstatic (the Docker image);
# before it (tests, make run) pages are served from the app folders as they are.
# The Docker build sets STATICFILES_MANIFEST=true for its collectstatic, which writes the manifest.
_MANIFEST_BUILT = env.bool("STATICFILES_MANIFEST", default=(STATIC_ROOT / "staticfiles.json").is_file())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _MANIFEST_BUILT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the app folders when collectstatic has not run (tests, make run).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_MANIFEST_STRICT = False

# --- REST API --------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["conversations.api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "conversations.api.errors.json_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KVKy API",
    "DESCRIPTION": "Conversational assistants: KVKy (used-car sales) and Blinky (onboarding).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Product settings ------------------------------------------------------
MESSAGE_MAX_CHARS = 1600  # WhatsApp's own limit
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=60)
# Requests per API key per minute, whatever `from` they carry (a client picks its senders); 0 = no limit.
API_KEY_RATE_LIMIT_PER_MINUTE = env.int("API_KEY_RATE_LIMIT_PER_MINUTE", default=600)
# How often a process asks whether the catalog, FAQs or assistants changed since it cached them
# (kvky_site/watched_cache.py); a write in the same process is seen at once.
ENGINE_CACHE_RECHECK_SECONDS = env.float("ENGINE_CACHE_RECHECK_SECONDS", default=2.0)
# How often the back office inbox asks for new handoffs.
BACKOFFICE_INBOX_POLL_SECONDS = env.float("BACKOFFICE_INBOX_POLL_SECONDS", default=5.0)
# Spanish thesaurus (MyThes .dat, Debian's mythes-es) that lets FAQ words match their synonyms;
# a missing file only logs a warning and FAQs are matched without synonyms.
THESAURUS_PATH = env.str("THESAURUS_PATH", default="/usr/share/mythes/th_es_ES_v2.dat")
# Spanish dictionary (Hunspell es_MX, Debian's hunspell-es; the path without .dic/.aff) that tells a Spanish word
# from a misspelt car name; a missing file only logs a warning and the thesaurus alone tells them apart.
SPANISH_DICTIONARY_PATH = env.str("SPANISH_DICTIONARY_PATH", default="/usr/share/hunspell/es_MX")
# Where the trained intent models are saved (one file per assistant kind and set of examples); the Docker
# image trains into it at build time (manage.py train_intents), so workers load arrays instead of training.
# Empty = keep them in memory only.
NLU_MODEL_DIR = env.str("NLU_MODEL_DIR", default=str(BASE_DIR / "var" / "nlu"))

# --- Privacy: how long transcripts are kept (python manage.py purge_conversations) ---
# Days after a conversation's last message before purge_conversations deletes it; empty = keep them.
_retention_days = env.str("TRANSCRIPT_RETENTION_DAYS", default="").strip()
TRANSCRIPT_RETENTION_DAYS = int(_retention_days) if _retention_days else None

# --- Web chat (/chat/<assistant>/ and the embeddable widget) ----------------
# Sites that may show the chat in the widget's iframe, e.g. https://www.mi-agencia.mx (frame-ancestors).
WEBCHAT_ALLOWED_ORIGINS = env.list("WEBCHAT_ALLOWED_ORIGINS", default=[])
WEBCHAT_RATE_LIMIT_PER_MINUTE = env.int("WEBCHAT_RATE_LIMIT_PER_MINUTE", default=20)  # messages per chat session
WEBCHAT_IP_RATE_LIMIT_PER_MINUTE = env.int("WEBCHAT_IP_RATE_LIMIT_PER_MINUTE", default=60)  # messages per IP
WEBCHAT_SESSION_MAX_AGE = env.int("WEBCHAT_SESSION_MAX_AGE", default=7 * 24 * 3600)  # seconds a chat session lasts

# --- WhatsApp through Twilio, and the Celery worker that replies in async mode ---
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
# Refuse webhooks whose X-Twilio-Signature does not verify. Off only for local tinkering; check --deploy warns.
TWILIO_VALIDATE_SIGNATURE = env.bool("TWILIO_VALIDATE_SIGNATURE", default=True)
# Where the REST client sends messages: a stand-in for staging and tests.
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")
TWILIO_HTTP_TIMEOUT = env.float("TWILIO_HTTP_TIMEOUT", default=10.0)  # seconds
# Dotted path (or callable) making the twilio.http.HttpClient the REST client uses; "" = Twilio's own.
TWILIO_HTTP_CLIENT = ""
# The site's address as Twilio sees it (https://kvky.example.com): signatures are checked against it
# behind a proxy, and outbound messages ask for status callbacks there.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="").rstrip("/")
# sync: the webhook answers with TwiML. async: it stores the message, answers an empty <Response/>
# and a Celery task replies through Twilio's REST API.
REPLY_MODE = env.str("REPLY_MODE", default="sync")
WHATSAPP_RATE_LIMIT_PER_MINUTE = env.int("WHATSAPP_RATE_LIMIT_PER_MINUTE", default=20)  # messages per sender
# Without a broker (the embedded default) tasks run eagerly, in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
# Eager tasks keep their retries; a task's failure is logged rather than raised into the request.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A WhatsApp message some failure left unanswered (stored, no reply) is answered by a sweep: Celery beat
# (`celery -A kvky_site beat`) runs it every minute, or cron runs `manage.py answer_unanswered`. It takes up
# messages older than the grace (time for the normal path) and younger than the max age (WhatsApp's window).
WHATSAPP_SWEEP_GRACE_SECONDS = env.int("WHATSAPP_SWEEP_GRACE_SECONDS", default=120)
WHATSAPP_SWEEP_MAX_AGE_SECONDS = env.int("WHATSAPP_SWEEP_MAX_AGE_SECONDS", default=24 * 3600)
CELERY_BEAT_SCHEDULE = {
    "answer-unanswered-whatsapp": {"task": "conversations.tasks.answer_unanswered", "schedule": 60.0},
    # Cars a lead held past the assistant's hold period are offered again (`manage.py release_expired_holds`).
    "release-expired-holds": {"task": "leads.tasks.release_expired_holds", "schedule": 300.0},
}

# --- Optional LLM layer (OpenAI-compatible tool calling; no key = the rules engine alone) ---
# Several keys (comma-separated) are rotated; a key answering 429 cools down. Each assistant may
# opt out or use another model or endpoint in the admin.
OPENAI_API_KEYS = env.list("OPENAI_API_KEYS", default=[]) or [
    key for key in [env.str("OPENAI_API_KEY", default="")] if key
]
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")  # "" = https://api.openai.com/v1
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
LLM_TURN_DEADLINE_SECONDS = env.float("LLM_TURN_DEADLINE_SECONDS", default=8.0)  # then the rules engine answers
LLM_MAX_CALLS_PER_TURN = env.int("LLM_MAX_CALLS_PER_TURN", default=3)
LLM_HISTORY_TOKEN_BUDGET = env.int("LLM_HISTORY_TOKEN_BUDGET", default=1500)  # earlier messages sent, in tokens
LLM_KEY_COOLDOWN_SECONDS = env.float("LLM_KEY_COOLDOWN_SECONDS", default=60.0)  # after a 429 without Retry-After
# After this many consecutive deadline, 5xx or connection failures, a process skips the model for the cool-down
# (the rules answer at once), then lets one probe call through.
LLM_BREAKER_FAILURES = env.int("LLM_BREAKER_FAILURES", default=3)
LLM_BREAKER_COOLDOWN_SECONDS = env.float("LLM_BREAKER_COOLDOWN_SECONDS", default=30.0)

# --- Production: HTTPS, cookies, content security policy -------------------
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https (only if
# the proxy always sets that header) and SECURE_SSL_REDIRECT=true; HSTS and secure cookies follow.
_proxy_ssl_header = env.list("SECURE_PROXY_SSL_HEADER", default=[])
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1]) if len(_proxy_ssl_header) == 2 else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# Kubelet probes and the Prometheus scrape talk plain HTTP to the pod (see kvky_site.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if SECURE_SSL_REDIRECT else 0)
# Both reach beyond this site (every subdomain; browsers' built-in lists, slow to undo): only when asked for.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy would warn on either off (security.W005, W021): off is this site's deliberate default.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SECURE_SSL_REDIRECT)
# The one inline block we serve without a nonce: drf-spectacular's Swagger UI page (3 lines of CSS).
# kvky_site/tests/test_csp.py fails if an upgrade changes it.
SWAGGER_UI_INLINE_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
# Every script and stylesheet comes from our own static files; the admin's few inline blocks carry the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE, SWAGGER_UI_INLINE_STYLE_HASH],
    # style="..." attributes (django-import-export's admin pages): they can restyle, never run code.
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Production: observability (JSON logs, Prometheus metrics) --------------
# With several gunicorn workers: a writable, emptied-at-start directory (see gunicorn.conf.py).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
# /metrics answers a bearer METRICS_TOKEN, or a direct (unproxied) caller from these networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)  # a Celery worker's own /metrics; 0 = off
LOG_FORMAT = env.str("LOG_FORMAT", default="json")  # "json" or "text"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kvky_site.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "kvky_site.logging.JsonFormatter"},
        "text": {
            "()": "kvky_site.logging.MaskedTextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
