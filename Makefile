# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Django 6.1 needs Python 3.12+: take the first interpreter that is at least that.
PY_BOOT ?= $(shell for p in python3.12 python3.13 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { command -v $$p || echo $$p; } && break; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint golden clean lint-deploy test-postgres test-production bench

# With DEBUG off the site refuses the built-in development SECRET_KEY (kvky_site/settings.py): `make run` writes
# a random one to .env once (so manage.py commands in the shell work too); the checks, golden sets and
# benchmarks get a throwaway key unless the shell sets one.
test golden test-postgres bench: export SECRET_KEY ?= kvky-make-only-$(shell od -An -N24 -tx1 /dev/urandom | tr -d ' \n')

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PY_BOOT)" || { echo "Se necesita Python 3.12 o más nuevo (python3.12)." >&2; exit 1; }
	test -x $(PY) || $(PY_BOOT) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	@grep -qs '^SECRET_KEY=' .env || echo "SECRET_KEY=kvky-local-$$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" >> .env
	mkdir -p staticfiles
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

test: $(VENV)/.installed lint lint-deploy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2
	$(MAKE) golden

# Quality gate: the project's own golden set (demo data); where ../shared exists, the public dev set
# and our own probe set, both written against the shared Kavak sample catalog and HR FAQs.
SHARED ?= ../shared
BARS := --min-intent 0.97 --max-slot-error 0.02 --min-tool 0.97 --min-pass 0.92
# Held-out sets (issue 14): written blind, measured once, then kept as regression sets. The first two on the
# Kavak sample gate at the issue's targets; on the later ones and on the invented dealers and employers the targets
# are not met yet, and the floors are today's figures less a margin, so a regression fails CI (golden/README.md).
HELDOUT_BARS := --min-intent 0.97 --max-slot-error 0.02 --min-tool 0.95 --min-pass 0.90
AIRLINE_FLOOR := --min-intent 0.95 --max-slot-error 0.03 --min-tool 0.75 --min-pass 0.70
MINING_FLOOR := --min-intent 0.95 --max-slot-error 0.10 --min-tool 0.76 --min-pass 0.70
SUPERMARKET_FLOOR := --min-intent 0.96 --max-slot-error 0.07 --min-tool 0.78 --min-pass 0.68
# The fifth, sixth and ninth held-out sets on the Kavak sample, written after the targets were met on the first two, are not.
KAVAK_E5_FLOOR := --min-intent 0.98 --max-slot-error 0.02 --min-tool 0.88 --min-pass 0.85
KAVAK_E6_FLOOR := --min-intent 0.98 --max-slot-error 0.07 --min-tool 0.86 --min-pass 0.81
KAVAK_E9_FLOOR := --min-intent 0.96 --max-slot-error 0.02 --min-tool 0.88 --min-pass 0.77
PARCEL_FLOOR := --min-intent 0.96 --max-slot-error 0.04 --min-tool 0.79 --min-pass 0.72
# LOG_LEVEL=WARNING: the report, not a JSON log line per evaluated turn.
golden: export LOG_LEVEL = WARNING
golden: $(VENV)/.installed
	$(PY) manage.py evaluate golden/sales.jsonl golden/onboarding.jsonl $(BARS)
	@if [ -d $(SHARED)/golden ]; then \
		$(PY) manage.py evaluate $(SHARED)/golden/dev.jsonl --catalog $(SHARED)/data/kavak_catalog.csv \
			--faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(BARS) && \
		$(PY) manage.py evaluate golden/shared_probe.jsonl --catalog $(SHARED)/data/kavak_catalog.csv \
			--faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(BARS) && \
		$(PY) manage.py evaluate golden/heldout_c_kavak.jsonl golden/heldout_d_kavak.jsonl \
			--catalog $(SHARED)/data/kavak_catalog.csv --faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(HELDOUT_BARS) && \
		$(PY) manage.py evaluate golden/heldout_e5_kavak.jsonl \
			--catalog $(SHARED)/data/kavak_catalog.csv --faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(KAVAK_E5_FLOOR) && \
		$(PY) manage.py evaluate golden/heldout_e6_kavak.jsonl \
			--catalog $(SHARED)/data/kavak_catalog.csv --faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(KAVAK_E6_FLOOR) && \
		$(PY) manage.py evaluate golden/heldout_e9_kavak.jsonl \
			--catalog $(SHARED)/data/kavak_catalog.csv --faqs blinky=$(SHARED)/data/hr_onboarding_faqs.csv $(KAVAK_E9_FLOOR); \
	else echo "$(SHARED) not found: dev set skipped"; fi
	$(PY) manage.py evaluate golden/heldout_c_airline.jsonl --catalog golden/data/airline/catalog.csv \
		--faqs blinky=golden/data/airline/faqs.csv $(AIRLINE_FLOOR)
	$(PY) manage.py evaluate golden/heldout_d_mining.jsonl --catalog golden/data/mining/catalog.csv \
		--faqs blinky=golden/data/mining/faqs.csv $(MINING_FLOOR)
	$(PY) manage.py evaluate golden/heldout_e5_supermarket.jsonl --catalog golden/data/supermarket/catalog.csv \
		--faqs blinky=golden/data/supermarket/faqs.csv $(SUPERMARKET_FLOOR)
	$(PY) manage.py evaluate golden/heldout_e6_parcel.jsonl --catalog golden/data/parcel/catalog.csv \
		--faqs blinky=golden/data/parcel/faqs.csv $(PARCEL_FLOOR)

# Deployment files: the Dockerfile under hadolint (errors fail), the Kubernetes manifests against the
# schemas kubernetes-validate bundles (offline), strictly: an unknown field is an error.
lint-deploy: $(VENV)/.installed
	$(VENV)/bin/hadolint --failure-threshold error Dockerfile
	$(VENV)/bin/kubernetes-validate --strict --quiet k8s/*.yaml k8s/secret-template/*.yaml

# The whole suite again on a throwaway PostgreSQL cluster (.ci/run calls it after `make test`).
test-postgres: $(VENV)/.installed
	.ci/postgres.sh $(VENV)/bin/pytest -n 2

# The production install (requirements.txt alone, as the Dockerfile does) runs the async WhatsApp path end
# to end: .ci/run calls it after `make test`.
test-production: $(VENV)/.installed
	.ci/production.sh $(PY_BOOT) $(VENV)

# Benchmarks (issue 8; not part of `make test`, not run in CI): loopback only, throwaway databases.
# HTTP: POST /api/v1/chat vs a bare JSON view under gunicorn, wrk at 4 and 32 connections, SQLite and
# PostgreSQL (needs Debian's `wrk` and `postgresql`), 10 s per case; catalog search at 100 / 10,000 /
# 100,000 vehicles; a soak of 200 senders on SQLite, 3 minutes by default (BENCH_SOAK_SECONDS, max 600).
BENCH_SOAK_SECONDS ?= 180
bench: $(VENV)/.installed
	$(PY) bench/http_chat.py --db both --duration 10
	$(PY) bench/search.py
	$(PY) bench/soak.py --duration $(BENCH_SOAK_SECONDS)

clean:
	rm -rf $(VENV) .venv-production db.sqlite3* staticfiles artifacts
