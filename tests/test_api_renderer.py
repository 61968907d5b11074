"""The API's JSON renderer (netralitas/api/renderers.py) writes DRF's bytes: a page of referrals, errors with
lazy translations, moments, dates, decimals, UUIDs, text that must be escaped, keys that are not text."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer as DRFRenderer

from netralitas.api.renderers import JSONRenderer

WIB = ZoneInfo("Asia/Jakarta")
PAYLOADS = [
    None,
    {},
    [],
    {"next": None, "results": [{"code": "a", "n": 1, "ok": True, "none": None, "list": [1, 2.5, "x"]}]},
    {"detail": gettext_lazy("Data tidak ditemukan."), "errors": {"tanggal": [gettext_lazy("Isi tanggal.")]}},
    {"at": datetime(2024, 10, 21, 9, 30, 15, 123456, tzinfo=WIB), "utc": datetime(2024, 1, 1, tzinfo=UTC)},
    {"naive": datetime(2024, 1, 1, 8), "day": date(2024, 2, 29), "clock": time(7, 5, 1, 999), "span": timedelta(3)},  # noqa: DTZ001 (a naive moment is one of the cases)
    {"amount": Decimal("12.50"), "code": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"text": 'Kutip " garis \\ baris\nbaru\ttab \u0001 é ñ 中文 😀 </script> \u2028 \u2029 end'},
    {2: "dua", 2.5: "dua setengah", True: "ya", None: "kosong"},
    ("tuple", 1),
    {"nested": {"deep": [{"a": [date(2020, 1, 1), None]}]}},
]


@pytest.mark.parametrize("data", PAYLOADS)
def test_the_bytes_are_drf_s(data):
    assert JSONRenderer().render(data) == DRFRenderer().render(data)


def test_indented_json_is_left_to_drf():
    data = {"a": [1, {"b": None}]}
    wanted = "application/json; indent=2"
    assert JSONRenderer().render(data, wanted, {}) == DRFRenderer().render(data, wanted, {})
    assert b"\n  " in JSONRenderer().render(data, wanted, {})


@pytest.mark.django_db
def test_the_api_answers_with_it(client):
    response = client.get("/api/v1/referrals/")
    assert response.status_code == 401
    assert response.json()["code"]  # an error body, written by the renderer
    assert isinstance(response.accepted_renderer, JSONRenderer)
