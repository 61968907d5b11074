"""The demo's BKN token: what the README's curl shows."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Referral
from netralitas.accounts.demo import DEMO_API_TOKEN


@pytest.fixture(autouse=True)
def demo(db, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("cases.referrals.letters.available", lambda: False)
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def test_load_demo_prints_the_demo_token(demo):
    assert f"Token API demo (klien BKN (demo), baca dan tulis): {DEMO_API_TOKEN}" in demo


MIXED = {"Asn Demo Lima", "Asn Demo Enam", "Asn Demo Tujuh"}
FROM_KASN = {"Asn Demo Delapan", "Asn Demo Sembilan"}  # moved to BKN by the declared succession


def test_the_demo_bkn_client_sees_exactly_the_asn_referrals_with_nip_violations_and_hashes(client):
    response = client.get(
        "/api/v1/referrals/",
        {"updated_since": "2024-01-01T00:00:00+07:00"},
        HTTP_AUTHORIZATION=f"Bearer {DEMO_API_TOKEN}",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    expected = Referral.objects.filter(institution__code="bkn").exclude(status="draft")
    assert {r["code"] for r in results} == {str(c) for c in expected.values_list("code", flat=True)}
    assert sorted((r["subject"]["name"], r["subject"]["employment_type"], r["subject"]["nip"]) for r in results) == [
        ("Asn Demo Delapan", "pns", "198601142010011006"),
        ("Asn Demo Dua", "pppk", "199001012019032001"),
        ("Asn Demo Enam", "pns", "198807302011012004"),
        ("Asn Demo Lima", "pns", "198204112008011003"),
        ("Asn Demo Satu", "pns", "198503122010011004"),
        ("Asn Demo Sembilan", "pns", "199002202015032007"),
        ("Asn Demo Tujuh", "pppk", "199311052023212005"),
    ]
    assert all(r["institution"].startswith("Badan Kepegawaian Negara") for r in results)
    for r in results:
        name = r["subject"]["name"]
        acts = (
            {"DEKLARASI", "FOTO-GESTUR"}
            if name in MIXED
            else {"MEDSOS-KAMPANYE"}
            if name in FROM_KASN
            else {"MEDSOS-INTERAKSI", "FOTO-GESTUR"}
        )
        assert {t["code"] for t in r["subject"]["violation_types"]} == acts
        hashes = [e["sha256"] for e in r["evidence"] if e["sha256"]]
        assert hashes and all(len(h) == 64 for h in hashes)
    text = response.content.decode()
    assert "Honorer" not in text and "Pelapor Demo" not in text and "081200000000" not in text
    # the mixed case's village head and the camat sent to Gakkumdu are other bodies' business
    assert "Kepala Desa Demo" not in text and "Camat Demo" not in text


def test_a_second_load_keeps_the_one_demo_token(client):
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    assert "Data demo sudah lengkap" in out.getvalue()
    assert client.get("/api/v1/referrals/", HTTP_AUTHORIZATION=f"Bearer {DEMO_API_TOKEN}").status_code == 200
