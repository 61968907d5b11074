"""/healthz: 200 while the database answers, 503 when it does not; the broker state is reported."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthy_when_database_and_redis_answer(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "latency_ms": body["database"]["latency_ms"]}
    assert body["broker"]["ok"] is True and body["broker"]["transport"] == "redis"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_broker_down_is_reported_but_the_app_stays_up(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False and body["broker"]["error"]


@pytest.mark.django_db
def test_503_when_the_database_does_not_answer(client):
    with mock.patch("netralitas.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"ok": False, "error": "connection refused"}


@pytest.mark.django_db
def test_filesystem_broker_is_healthy_without_any_server(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    body = client.get("/healthz").json()
    assert body["broker"] == {"ok": True, "transport": "filesystem", "latency_ms": body["broker"]["latency_ms"]}


@pytest.mark.django_db
def test_filesystem_broker_with_a_missing_folder_is_reported_down(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path / "missing")}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"]["ok"] is False


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
