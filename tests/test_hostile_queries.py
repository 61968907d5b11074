"""Malformed query strings on every list, filter and download address, for staff, pemkab and API clients:
a page number that is not one, an unknown choice, markup, NUL bytes, absurd dates, repeated and very long
parameters, a forged API cursor. The answer is the page (with a message where a filter cannot be read) or
a 400/404; never a 500, and never the markup back unescaped."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from tests.api_world import auth, sent_referrals
from tests.hostile import SCRIPT

LONG = "x" * 20_000
HOSTILE_VALUES = [
    "abc",
    "-1",
    "0",
    "99999999",
    "1e9",
    SCRIPT,
    "%00",
    "a%00b",
    LONG,
    "2024-13-45",
    "31/02/2024",
    "9999-12-31",
    "0001-01-01",
    "%E2%80%AE",
    "%FF%FE",
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(offices, pengawas, koordinator, regions, institutions):
    return sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=2)


# address, the user it is for, its parameters
STAFF_PAGES = [
    ("/perkara/", ["halaman", "q", "status", "election", "violation_type", "agency", "district", "employment_type",
                   "assignee", "due"]),
    ("/penerusan/", ["lembaga", "terlambat", "semua"]),
    ("/penerusan/unduh.csv", ["lembaga", "status", "election", "region", "sent_from", "sent_to"]),
    ("/dasbor/", ["pemilihan", "dari", "sampai"]),
    ("/dasbor/angka.xlsx", ["pemilihan", "dari", "sampai"]),
    ("/kalender/", ["tampilan", "tanggal", "jenis", "opd", "halaman"]),
    ("/tenggat/", ["election", "stage", "start"]),
    ("/beranda/", ["halaman"]),
    ("/pemberitahuan/", ["halaman", "page", "filter"]),
    ("/lapor/batas/", ["office", "known_on"]),
    ("/lapor/status/", ["kode"]),
]  # fmt: skip


def _raw_get(client, path, query: str, **extra):
    return client.get(f"{path}?{query}", **extra)


def _check(response, where):
    assert response.status_code < 500, where
    if response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False):
        assert SCRIPT not in response.content.decode(errors="replace"), where


@pytest.mark.parametrize(("path", "params"), STAFF_PAGES, ids=[p[0] for p in STAFF_PAGES])
def test_hostile_query_strings_on_staff_pages(client, world, pengawas, path, params):
    client.force_login(pengawas)
    for param in params:
        for value in HOSTILE_VALUES:
            encoded = value if "%" in value else quote(value, safe="")
            _check(_raw_get(client, path, f"{param}={encoded}"), (path, param, value[:40]))
        # repeated, empty and valueless
        _check(_raw_get(client, path, f"{param}=1&{param}=2&{param}={quote(SCRIPT)}"), (path, param, "repeated"))
        _check(_raw_get(client, path, f"{param}="), (path, param, "empty"))
        _check(_raw_get(client, path, param), (path, param, "bare"))
    _check(_raw_get(client, path, "&".join(f"p{i}=%00" for i in range(900))), (path, "many"))
    _check(_raw_get(client, path, "%zz=%zz&=&&"), (path, "broken encoding"))


def test_the_dashboard_says_which_filter_it_cannot_read(client, world, pemkab):
    client.force_login(pemkab)
    for query in ("dari=9999-12-31", "sampai=9999-12-31", "dari=0001-01-01", "dari=2024-13-45"):
        response = _raw_get(client, "/dasbor/", query)
        assert response.status_code == 400, query
        assert "Tanggal" in response.content.decode(), query
        assert _raw_get(client, "/dasbor/angka.xlsx", query).status_code == 400, query


def test_the_case_list_ignores_a_page_it_does_not_have(client, world, pengawas):
    client.force_login(pengawas)
    for page in ("abc", "-1", "0", "99999999", "1.5"):
        response = client.get("/perkara/", {"halaman": page})
        assert response.status_code == 200, page


API_LISTS = ["/api/v1/referrals/", "/api/v1/referrals/export.csv", "/api/v1/referrals/export.xlsx"]
API_PARAMS = ["updated_since", "status", "election", "region", "sent_from", "sent_to", "cursor", "page_size",
              "ordering", "format"]  # fmt: skip


@pytest.mark.parametrize("path", API_LISTS)
def test_hostile_query_strings_on_the_api(client, world, bkn_client, path):
    for param in API_PARAMS:
        for value in [*HOSTILE_VALUES, "2024-01-01T00:00:00+99:00", "-", "__all__", "updated_at;drop table"]:
            encoded = value if "%" in value else quote(value, safe="")
            response = _raw_get(client, path, f"{param}={encoded}", **auth(bkn_client))
            assert response.status_code in (200, 400, 404, 406), (path, param, value[:40], response.status_code)
            if response.status_code == 400:
                assert "detail" in response.json()
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # read to its end: the test client then closes it


def test_a_forged_cursor_is_a_400_with_a_message(client, world, bkn_client):
    import base64

    forged = [
        "abc",
        "////",
        base64.urlsafe_b64encode(b"2024-01-01T00:00:00+00:00|abc").decode(),
        base64.urlsafe_b64encode(b"9999-12-31T23:59:59+00:00|1|2").decode(),
        base64.urlsafe_b64encode(b"0001-01-01T00:00:00+14:00|1").decode(),
        base64.urlsafe_b64encode(b"2024-01-01T00:00:00+00:00|99999999999999999999999").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe|1").decode(),
    ]
    for cursor in forged:
        response = client.get("/api/v1/referrals/", {"cursor": cursor}, **auth(bkn_client))
        assert response.status_code in (200, 400), (cursor, response.status_code)
        if response.status_code == 400:
            assert "cursor" in response.json()["errors"]


def test_api_dates_outside_the_calendar_are_a_400(client, world, bkn_client):
    today = timezone.localdate()
    for query in (
        {"updated_since": "9999-12-31T23:59:59"},
        {"updated_since": "0001-01-01T00:00:00"},
        {"sent_from": "2024-02-30"},
        {"sent_from": today.isoformat(), "sent_to": (today - timedelta(days=1)).isoformat()},
        {"election": "99999999999999999999"},
        {"page_size": "99999999999999999999"},
    ):
        response = client.get("/api/v1/referrals/", query, **auth(bkn_client))
        assert response.status_code in (200, 400), (query, response.status_code)
