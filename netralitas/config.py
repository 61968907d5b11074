"""Strict reading of configuration from the environment.

django-environ reads the values; this module makes a wrong value stop start-up with a message that
names the variable and says what was expected, instead of silently falling back (django-environ reads
an unknown boolean such as ``DEBUG=ya`` as False, and an unparseable database URL as something odd).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "ya"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "tidak", ""})

DATABASE_SCHEMES = frozenset({"postgres", "postgresql", "pgsql", "psql"})
BROKER_SCHEMES = frozenset({"redis", "rediss", "filesystem", "memory", "amqp", "pyamqp"})


class Config:
    """Typed, strict accessors over ``os.environ`` (through django-environ)."""

    def __init__(self, environ_mapping=None):
        self.env = environ.Env()
        if environ_mapping is not None:
            self.env.ENVIRON = environ_mapping

    def raw(self, name: str, default: str | None = None) -> str | None:
        return self.env.ENVIRON.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.env.ENVIRON

    def str(self, name: str, default: str = "") -> str:
        return self.env.str(name, default=default)

    def bool(self, name: str, default: bool) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use one of true/false, yes/no, on/off, 1/0.")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: set[str] | frozenset[str]) -> str:
        value = (self.raw(name) or default).strip().lower()
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(sorted(choices))}.")
        return value

    def database(self, name: str, default: str) -> dict:
        """A PostgreSQL database URL (the only database the project runs on) as Django's settings."""
        url = self.raw(name) or default
        if "://" in url and urlsplit(url).scheme.lower() not in DATABASE_SCHEMES:
            raise ImproperlyConfigured(
                f"{name}={_redact(url)!r} is not a PostgreSQL URL: Netralitas runs on PostgreSQL 15 or newer only. "
                f"Use postgres://user:password@host:5432/name, or leave {name} unset for the embedded PostgreSQL "
                "of `make run`."
            )
        _scheme(name, url, DATABASE_SCHEMES)
        try:
            config = environ.Env.db_url_config(url)
        except Exception as exc:  # django-environ raises several kinds for a malformed URL
            raise ImproperlyConfigured(f"{name} could not be parsed ({exc}).") from None
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name}={_redact(url)!r} names no database (add /name at the end).")
        return config

    def url(self, name: str, default: str, schemes: frozenset[str]) -> str:
        url = self.raw(name) or default
        _scheme(name, url, schemes)
        return url

    def email(self, name: str, default: str) -> dict:
        url = self.raw(name) or default
        try:
            return environ.Env.email_url_config(url)
        except Exception as exc:
            raise ImproperlyConfigured(f"{name} could not be parsed ({exc}).") from None


def socket_database_url(socket_dir, name: str) -> str:
    """The URL of a PostgreSQL database reached through the Unix socket in ``socket_dir`` (as django-environ
    reads it: the folder, percent-encoded, where a host name would be)."""
    return f"postgres://postgres@/{quote(str(socket_dir), safe='')}/{name}"


def _scheme(name: str, url: str, allowed: frozenset[str]) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={_redact(url)!r} is not a valid URL ({exc}).") from None
    scheme = parts.scheme.lower()
    if "://" not in url or scheme not in allowed:
        raise ImproperlyConfigured(
            f"{name}={_redact(url)!r} is not a valid URL: expected a scheme among "
            f"{', '.join(sorted(allowed))} (for example {sorted(allowed)[0]}://...)."
        )
    return scheme


def _redact(url: str) -> str:
    """Hide a password in a URL before it is shown in an error message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url
