"""Database helpers that the ORM does not offer."""

from __future__ import annotations

from contextlib import contextmanager

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
