# Caseflow application image: web (gunicorn), worker and beat all run from it.
#   docker build -t caseflow .
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 caseflow

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; it is not used at run time.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghij \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R caseflow /app/var
# A new named volume mounted here (docker-compose.yml's media) takes this directory's owner.
VOLUME /app/var/media

USER caseflow
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
