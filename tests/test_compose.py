"""docker-compose.yml is checked by Debian's docker-compose (`config`), and stays true to how the app runs:
the web server, a worker and beat on PostgreSQL and Redis, the web waiting for a healthy database."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {
    "SECRET_KEY": "s" * 50,
    "ALLOWED_HOSTS": "netralitas.example.go.id",
    "POSTGRES_PASSWORD": "rahasia",
    "SITE_URL": "https://netralitas.example.go.id",
}


def compose(*args, env=None):
    if not shutil.which("docker-compose"):
        pytest.fail("docker-compose not found: make test installs Debian's docker-compose")
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED and not k.startswith(("CELERY_", "DATABASE_"))}
    return subprocess.run(
        ["docker-compose", "--project-directory", str(ROOT), "-f", str(ROOT / "docker-compose.yml"), *args],
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_is_valid_and_runs_web_worker_and_beat_on_postgres_and_redis():
    result = compose("--profile", "trial", "config", env=REQUIRED)
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat", "mailpit"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert "gunicorn -c python:netralitas.gunicorn_conf netralitas.wsgi" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "netralitas", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "netralitas", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        assert env["DATABASE_URL"] == "postgres://netralitas:rahasia@db:5432/netralitas"
        assert env["DEBUG"] == "false"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["restart"] == "unless-stopped"
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]


def test_compose_refuses_to_start_without_the_secrets():
    result = compose("config")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr


def test_each_web_worker_freezes_what_it_loaded():
    import gc

    from netralitas import gunicorn_conf

    try:
        gunicorn_conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
