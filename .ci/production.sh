#!/usr/bin/env bash
# Production is what the Dockerfile installs: requirements.txt alone, in a venv of its own. This proves that
# install runs: every production module imports, the migrations apply, and the async WhatsApp path works end
# to end from it (gunicorn and a Celery worker from that venv, a real redis-server, the loopback Twilio
# stand-in), driven by the test tools' venv, which starts the processes and checks what Twilio received.
# Usage: .ci/production.sh PYTHON TEST_VENV   (PYTHON: the interpreter to build the venv with)
set -euo pipefail
cd "$(dirname "$0")/.."
python="$1"
test_venv="$2"
prod_venv="$(pwd)/.venv-production"

rm -rf "$prod_venv"
"$python" -m venv "$prod_venv"
"$prod_venv/bin/python" -m pip install -q --disable-pip-version-check -r requirements.txt

if "$prod_venv/bin/python" -c 'import pytest' 2>/dev/null; then
  echo "requirements.txt brings pytest: the production venv is not production." >&2
  exit 1
fi
export DEBUG=true LOG_LEVEL=WARNING DATABASE_URL="sqlite:///$(mktemp -d)/production-check.sqlite3"
"$prod_venv/bin/python" .ci/import_production.py
"$prod_venv/bin/python" manage.py migrate --noinput -v 0
"$prod_venv/bin/python" manage.py check
unset DEBUG DATABASE_URL
KVKY_SERVER_BIN="$prod_venv/bin" "$test_venv/bin/pytest" -p no:xdist -p no:cacheprovider -m integration \
  conversations/tests/channels/test_integration.py conversations/tests/channels/test_worker_lost.py
