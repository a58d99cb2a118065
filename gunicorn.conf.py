"""Gunicorn settings for the web pods and the Docker image: `gunicorn -c gunicorn.conf.py`.

Sizes and timeouts come from the environment (GUNICORN_*), read here with django-environ because
gunicorn reads this file before Django starts.
"""

import ipaddress
from pathlib import Path

import environ

env = environ.Env()

wsgi_app = "kvky_site.wsgi:application"
bind = f"{env.str('GUNICORN_BIND_HOST', default='0.0.0.0')}:{env.int('PORT', default=8000)}"
workers = env.int("GUNICORN_WORKERS", default=2)
# The rules engine is CPU-bound: a second thread in a worker only queues on the GIL (bench/http_chat.py,
# 2 cores: 2 workers × 1 thread 260 chats/s, p99 26 ms; × 4 threads 173/s, p99 48 ms). With a language
# model a turn waits seconds on the network, and threads let the worker answer others meanwhile.
_llm_configured = bool(env.str("OPENAI_API_KEY", default="") or env.str("OPENAI_API_KEYS", default=""))
threads = env.int("GUNICORN_THREADS", default=4 if _llm_configured else 1)
timeout = env.int("GUNICORN_TIMEOUT", default=30)
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = env.int("GUNICORN_KEEPALIVE", default=5)
# Load Django once in the master and fork the workers from it: they share its memory and a recycled
# worker is back in milliseconds. Nothing opens a connection at import time, so none is shared.
preload_app = env.bool("GUNICORN_PRELOAD", default=True)
# Recycle workers now and then, staggered, so a slow leak never takes a pod down.
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=2000)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=200)
accesslog = env.str("GUNICORN_ACCESSLOG", default="") or None
errorlog = "-"
loglevel = env.str("LOG_LEVEL", default="info").lower()
# No runtime control socket: it would be written under $HOME, read-only in the pods.
control_socket_disable = True


def _trusted_proxies(entries: list[str]) -> str:
    """TRUSTED_PROXIES as gunicorn takes it: malformed entries (and '*') dropped, as the site drops them."""
    networks = []
    for entry in entries:
        try:
            networks.append(str(ipaddress.ip_network(entry.strip(), strict=False)))
        except ValueError:
            continue
    return ",".join(networks) or "127.0.0.1,::1"


# Only the proxies in front (the ingress) may say the request came over https (X-Forwarded-Proto);
# the site reads X-Forwarded-For through the same list (kvky_site/client_address.py).
forwarded_allow_ips = _trusted_proxies(env.list("TRUSTED_PROXIES", default=[]))

PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")


def on_starting(server) -> None:
    """Start from an empty metrics directory: files a previous run left would be added in again."""
    if PROMETHEUS_MULTIPROC_DIR:
        directory = Path(PROMETHEUS_MULTIPROC_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        for leftover in directory.glob("*.db"):
            leftover.unlink()


def child_exit(server, worker) -> None:
    """A worker's live gauges die with it; its counters and histograms stay in the sum."""
    if PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, PROMETHEUS_MULTIPROC_DIR)
