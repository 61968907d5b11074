"""Check that the services the test suite needs answer, before running it, and say how to start them.

Reads DATABASE_URL and CELERY_BROKER_URL as the test settings do (same defaults). Exit 1 with a message
when PostgreSQL cannot be reached; Redis is checked too, since the suite runs against it.
"""

import os
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/netralitas"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/15"


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def login_problem(database) -> str | None:
    """Sign in as the tests will (they create and drop a test database, so the role needs CREATEDB)."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(
            host=database.hostname or "127.0.0.1",
            port=database.port or 5432,
            user=database.username or "postgres",
            password=database.password,
            dbname="postgres",
            connect_timeout=5,
        ) as conn:
            can_create = conn.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")
            if not can_create.fetchone()[0]:
                return f"PostgreSQL role {database.username!r} may not create databases; the tests need CREATEDB."
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return (
            f"PostgreSQL refused the test login ({first}).\n"
            "  Set DATABASE_URL with a user and password that may create databases, e.g.\n"
            "  DATABASE_URL=postgres://netralitas:secret@127.0.0.1:5432/netralitas make test"
        )
    return None


def main() -> int:
    database = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    broker = urlsplit(os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL)
    problems = []
    if database.scheme.startswith("postgres"):
        host, port = database.hostname or "127.0.0.1", database.port or 5432
        if not reachable(host, port):
            problems.append(
                f"PostgreSQL does not answer on {host}:{port} (DATABASE_URL).\n"
                "  Start it:  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
                "  or point DATABASE_URL at a running server, e.g. postgres://user@host:5432/netralitas"
            )
        else:
            problem = login_problem(database)
            if problem:
                problems.append(problem)
    if broker.scheme.startswith("redis"):
        host, port = broker.hostname or "127.0.0.1", broker.port or 6379
        if not reachable(host, port):
            problems.append(
                f"Redis does not answer on {host}:{port} (CELERY_BROKER_URL).\n"
                '  Start it:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
            )
    for problem in problems:
        print(f"make test: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
