"""Database helpers (netralitas/db.py): times read through psycopg's compiled loader are Django's, value for
value and time zone for time zone."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's loaders")

MOMENTS = [
    "2024-03-01 10:20:30.5+07",
    "2024-11-27 00:00:00+07",
    "1900-01-01 00:00:00+00",
    "1965-06-30 23:59:59.999999+07:30",
    "2099-12-31 23:59:59.000001+00",
]


def _read(cursor) -> list:
    cursor.execute("SELECT " + ", ".join(f"'{m}'::timestamptz" for m in MOMENTS))
    return list(cursor.fetchone())


@pytest.mark.django_db
def test_times_are_read_as_django_reads_them():
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    from netralitas.db import _compiled_timestamptz_loader

    with connection.cursor() as cursor:
        loader = cursor.connection.adapters.get_loader(1184, 0)
        assert loader is _compiled_timestamptz_loader(connection.timezone)  # installed on the connection
        compiled = _read(cursor)
    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)  # Django's own, on this cursor only
        assert cursor.cursor.adapters.get_loader(1184, 0) is not loader
        django_s = _read(cursor)
    assert compiled == django_s
    assert [m.tzinfo for m in compiled] == [m.tzinfo for m in django_s] == [connection.timezone] * len(MOMENTS)
    assert [m.microsecond for m in compiled] == [500000, 0, 0, 999999, 1]


@pytest.mark.django_db
def test_the_orm_reads_aware_times_through_it(django_user_model):
    user = django_user_model.objects.create_user("waktu", password="x-Panjang-2024!")
    user.refresh_from_db()
    assert user.date_joined.tzinfo is not None
    assert django_user_model.objects.values_list("date_joined", flat=True).get(pk=user.pk) == user.date_joined
