#!/usr/bin/env bash
# `make serve`: the production processes without Docker, against the PostgreSQL and
# Redis that scripts/services.py started (DATABASE_URL, CELERY_BROKER_URL are set).
# gunicorn serves Django (static files through whitenoise); a Celery worker and beat run
# beside it. Ctrl-C stops everything.
# Production-shaped: demo mode off, so every account enrols and uses two-factor sign-in
# (demo mode is only for `make demo`). Migrations and the demo load run as the database
# owner (DATABASE_URL); gunicorn and Celery as the role that owns nothing
# (DATABASE_APP_URL, see accounts/db_roles.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
STATE=${CASEFLOW_SERVE_DIR:-var/serve}
mkdir -p "$STATE"
if [ ! -s "$STATE/secret_key" ]; then
  $PY -c "import secrets; print(secrets.token_urlsafe(64))" > "$STATE/secret_key"
  chmod 600 "$STATE/secret_key"
fi
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="$(cat "$STATE/secret_key")"
export CASEFLOW_DEMO=false
export CASEFLOW_REQUIRE_2FA=true
# Plain http on loopback for evaluation: no TLS redirect, cookies not marked Secure.
export DJANGO_SECURE_SSL_REDIRECT=false
export DJANGO_SECURE_COOKIES=false
export DJANGO_SECURE_HSTS_SECONDS=0
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${GUNICORN_WORKERS:-4}

$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
if [ "${CASEFLOW_SERVE_LOAD_DEMO:-true}" = "true" ]; then $PY manage.py load_demo; fi
# From here on, the application's own role (no ownership, append-only audit).
export DATABASE_URL=${DATABASE_APP_URL:-$DATABASE_URL}

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/celery -A config worker -l info --concurrency 2 -n "worker@%h" &
pids+=($!)
.venv/bin/celery -A config beat -l info --schedule "$STATE/celerybeat-schedule" &
pids+=($!)
echo "Caseflow (production mode) on http://$HOST:$PORT/  readiness: http://$HOST:$PORT/readyz"
.venv/bin/gunicorn config.wsgi:application --bind "$HOST:$PORT" --workers "$WORKERS" \
  --access-logfile - --timeout 120 &
pids+=($!)
wait -n "${pids[@]}"
