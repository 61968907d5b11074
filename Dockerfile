# Netralitas: one image for migrate, the web server, the Celery worker and Celery beat (docker-compose.yml).
# Debian bookworm: its PostgreSQL client (15) matches the database image of docker-compose.yml, for backups.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF letters) needs Pango and a font; pg_dump/pg_restore serve `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 netralitas
WORKDIR /app

# The pinned dependencies first, in a layer of their own: a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt

COPY . /app
# Editable: templates, static files and locale are read from /app, as in a checkout.
RUN pip install --no-deps -e . \
    && DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media /app/var/celery /app/var/cadangan \
    && chown -R netralitas:netralitas /app/var

USER netralitas
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn -c python:netralitas.gunicorn_conf netralitas.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
