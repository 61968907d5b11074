"""Configuration is read strictly: a value that cannot be understood stops start-up with a message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from netralitas.config import BROKER_SCHEMES, Config, socket_database_url

ROOT = Path(__file__).resolve().parent.parent
EMBEDDED = socket_database_url(ROOT / "var" / "postgres", "netralitas")


def config(**values):
    return Config(environ_mapping=values)


@pytest.mark.parametrize("word", ["true", "True", "1", "yes", "on", "ya"])
def test_true_words_read_as_true(word):
    assert config(DEBUG=word).bool("DEBUG", default=False) is True


@pytest.mark.parametrize("word", ["false", "0", "no", "off", "tidak", ""])
def test_false_words_read_as_false(word):
    assert config(DEBUG=word).bool("DEBUG", default=True) is False


def test_unknown_boolean_is_refused_with_the_variable_named():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
        config(DEBUG="maybe").bool("DEBUG", default=False)


def test_missing_boolean_takes_the_default():
    assert config().bool("DEBUG", default=True) is True


def test_postgres_url_is_parsed():
    db = config(DATABASE_URL="postgres://u:secret@db.example:5433/netralitas").database("DATABASE_URL", EMBEDDED)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.example", 5433, "netralitas", "u")


def test_the_default_database_is_reached_through_the_embedded_servers_socket(tmp_path):
    folder = tmp_path / "a folder" / "postgres"
    db = config().database("DATABASE_URL", socket_database_url(folder, "netralitas"))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (str(folder), "", "netralitas", "postgres")


@pytest.mark.parametrize("url", ["sqlite:///var/netralitas.sqlite3", "mysql://u@h/db", "oracle://u:secret@h/db"])
def test_a_database_other_than_postgresql_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match=r"is not a PostgreSQL URL: Netralitas runs on PostgreSQL 15"):
        config(DATABASE_URL=url).database("DATABASE_URL", EMBEDDED)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("localhost/netralitas", "is not a valid URL"),
        ("postgres//u@h/db", "expected a scheme"),
        ("postgres://u@h:port/db", "is not a valid URL"),
        ("postgres://u@h:5432", "names no database"),
    ],
)
def test_unparseable_database_url_is_refused(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        config(DATABASE_URL=url).database("DATABASE_URL", EMBEDDED)


def test_password_is_hidden_in_the_error_message():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        config(DATABASE_URL="postgres://u:hunter2@h:99999/db").database("DATABASE_URL", EMBEDDED)
    assert "hunter2" not in str(excinfo.value)


def test_broker_url_must_have_a_known_scheme():
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        config(CELERY_BROKER_URL="redis//localhost").url("CELERY_BROKER_URL", "filesystem://", BROKER_SCHEMES)
    assert config().url("CELERY_BROKER_URL", "filesystem://", BROKER_SCHEMES) == "filesystem://"


def test_whole_numbers_are_checked():
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT='lots' is not a whole number"):
        config(LOGIN_FAILURE_LIMIT="lots").int("LOGIN_FAILURE_LIMIT", default=5)
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        config(LOGIN_FAILURE_LIMIT="0").int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)


def _start(**env_overrides):
    """Run `manage.py check` with a clean environment plus ``env_overrides``, as start-up would."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="netralitas.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_start_up_stops_on_an_unknown_boolean():
    result = _start(DEBUG="perhaps", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr


def test_start_up_stops_on_an_unparseable_database_url():
    result = _start(DEBUG="true", DATABASE_URL="not a url")
    assert result.returncode != 0
    assert "DATABASE_URL='not a url' is not a valid URL" in result.stderr


def test_start_up_stops_on_a_database_that_is_not_postgresql():
    result = _start(DEBUG="true", DATABASE_URL="sqlite:///var/netralitas.sqlite3")
    assert result.returncode != 0
    assert "DATABASE_URL='sqlite:///var/netralitas.sqlite3' is not a PostgreSQL URL" in result.stderr
    assert "leave DATABASE_URL unset for the embedded PostgreSQL of `make run`" in result.stderr


def test_start_up_requires_a_secret_key_when_debug_is_off():
    result = _start(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_start_up_succeeds_with_the_embedded_defaults():
    result = _start(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_every_variable_of_env_example_is_read_by_the_settings():
    """.env.example documents the configuration: every variable in it must be one the settings read, and
    its example values must start the application."""
    example = (ROOT / ".env.example").read_text()
    values = dict(line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#"))
    settings_source = (ROOT / "netralitas" / "settings.py").read_text()
    unread = [name for name in values if f'"{name}"' not in settings_source]
    assert unread == []
    result = _start(**{**{k: v for k, v in values.items() if v}, "DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_start_up_requires_allowed_hosts_when_debug_is_off():
    result = _start(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_start_up_refuses_unknown_holiday_categories():
    result = _start(DEBUG="true", HOLIDAY_CATEGORIES="publik")
    assert result.returncode != 0
    assert "HOLIDAY_CATEGORIES='publik'" in result.stderr


def test_start_up_refuses_a_cache_url_it_cannot_use():
    result = _start(DEBUG="true", CACHE_URL="memcached://127.0.0.1:11211")
    assert result.returncode != 0
    assert "CACHE_URL='memcached://127.0.0.1:11211' is not a valid URL" in result.stderr
    assert _start(DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1").returncode == 0


def _caches(cache_url):
    """CACHES as start-up builds them for ``cache_url``."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="netralitas.settings", DEBUG="true", CACHE_URL=cache_url)
    script = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_redis_cache_url_puts_the_throttle_and_the_figures_in_redis_and_never_fails_a_request():
    caches = _caches("redis://127.0.0.1:6379/1")
    assert {name: c["BACKEND"] for name, c in caches.items()} == {
        "default": "django_redis.cache.RedisCache",
        "figures": "django_redis.cache.RedisCache",
    }
    assert caches["default"]["KEY_PREFIX"] != caches["figures"]["KEY_PREFIX"]
    for cache in caches.values():
        assert cache["LOCATION"] == "redis://127.0.0.1:6379/1"
        assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
        assert 0 < cache["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1 and 0 < cache["OPTIONS"]["SOCKET_TIMEOUT"] <= 1


def test_without_redis_both_caches_are_in_each_process_memory():
    caches = _caches("locmem://")
    assert {name: c["BACKEND"] for name, c in caches.items()} == {
        "default": "django.core.cache.backends.locmem.LocMemCache",
        "figures": "django.core.cache.backends.locmem.LocMemCache",
    }
    assert caches["default"]["LOCATION"] != caches["figures"]["LOCATION"]
