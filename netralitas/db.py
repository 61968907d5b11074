"""Database helpers that the ORM does not offer."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache

from django.db import DatabaseError, connection


@contextmanager
def joins_as_written():
    """Queries run inside are joined in the order the ORM wrote them (PostgreSQL's ``join_collapse_limit``
    set to 1, and reset on the way out).

    For a query of a dozen tables joined along foreign keys from one starting table (the API's referral with
    its case, office, region, election, subject, person, agency ...), that written order is the right one, and
    PostgreSQL spent 18 ms of a 24 ms query weighing the others. Only for such queries: a query whose best
    order is not the written one would be planned worse."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET join_collapse_limit = 1")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET join_collapse_limit")
        except DatabaseError:
            # a transaction broken by the error being raised: its rollback undoes the SET as well
            pass


# --- Reading times from PostgreSQL -------------------------------------------------------------------------
# Django reads every ``timestamptz`` through a loader of its own, a Python subclass of psycopg's pure-Python
# one: some 6 microseconds a value, against 2 for psycopg's compiled loader. The API's page of 100 referrals
# reads 1,800 of them. The loader below calls the compiled one and then does what Django's does (the value
# labelled with the connection's time zone); it is installed on each new connection.


@cache
def _compiled_timestamptz_loader(zone):
    from psycopg import adapters
    from psycopg.adapt import Loader
    from psycopg.postgres import types
    from psycopg.pq import Format

    compiled = adapters.get_loader(types["timestamptz"].oid, Format.TEXT)
    if compiled is None or compiled.__module__.startswith("psycopg.types"):
        return None  # psycopg without its compiled part: Django's loader is as good as any

    class CompiledTimestamptzLoader(Loader):
        timezone = zone  # read by Django, which re-registers its own loader when the zones differ

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._load = compiled(oid, context).load

        def load(self, data):
            return self._load(data).replace(tzinfo=zone)

    return CompiledTimestamptzLoader


def install_compiled_timestamptz_loader(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver (see ``netralitas.ops.apps``)."""
    if connection.vendor != "postgresql":
        return
    loader = _compiled_timestamptz_loader(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)
