"""Institutions posting back: validation as in the web form, the stage rules, Idempotency-Key, the timeline
and the supervisors' outbox."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import CaseEvent, ReferralResponse, ReferralStatus
from cases.referrals import services as referrals
from netralitas.accounts.models import ApiScope, IdempotencyKey, Membership, Role
from netralitas.notify.models import Notification
from tests.api_world import auth, make_client, sent_referrals
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def referral(offices, pengawas, koordinator, regions, institutions):
    [referral] = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn)
    return referral


def rec_url(referral):
    return f"/api/v1/referrals/{referral.code}/recommendation/"


def ppk_url(referral):
    return f"/api/v1/referrals/{referral.code}/ppk-decision/"


def post(client, url, data, api_client, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **auth(api_client), **headers)


RECOMMENDATION = {
    "number": "R-7/D.IV/BKN/XI/2024",
    "date": "2024-11-04",
    "proven": True,
    "sanction": "teguran_tertulis",
}


def test_a_recommendation_moves_the_referral_and_shows_on_the_timeline_and_in_the_outbox(
    client, referral, bkn_client, pengawas, koordinator, offices
):
    # the case's assignee, the referral's sender (koordinator) and every coordinator of the office are told
    second = UserFactory(username="koordinator2")
    Membership.objects.create(user=second, office=offices.gunung_mas, role=Role.KOORDINATOR)
    referral.case.assignee = pengawas
    referral.case.save(update_fields=["assignee"])
    response = post(client, rec_url(referral), RECOMMENDATION, bkn_client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == ReferralStatus.AWAITING_PPK
    assert body["responses"][-1] | {"recorded_at": None} == {
        "kind": "rekomendasi",
        "number": "R-7/D.IV/BKN/XI/2024",
        "date": "2024-11-04",
        "proven": True,
        "sanction": "teguran_tertulis",
        "refused": False,
        "executed": None,
        "note": "",
        "recorded_via": "api",
        "recorded_at": None,
    }
    event = CaseEvent.objects.filter(case=referral.case, action="referral.recommended").get()
    assert event.actor is None and event.data["number"] == "R-7/D.IV/BKN/XI/2024"
    assert body["timeline"][-1]["action"] == "referral.recommended"
    told = Notification.objects.filter(template="referral_response", channel="inbox")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["koordinator", "koordinator2", "pengawas"]
    assert Notification.objects.filter(template="referral_response", channel="email").count() == 3
    from netralitas.notify.services import render

    subject, text, html = render(told.first())
    assert subject == "Rekomendasi dari BKN: Terlapor Api 0"
    assert "BKN merekomendasikan sanksi untuk Terlapor Api 0: Teguran tertulis (ringan)" in text
    assert "melalui API" in html


def test_the_same_idempotency_key_records_one_response_and_answers_the_same(client, referral, bkn_client):
    key = {"HTTP_IDEMPOTENCY_KEY": "bkn-rek-0001"}
    first = post(client, rec_url(referral), RECOMMENDATION, bkn_client, **key)
    again = post(client, rec_url(referral), RECOMMENDATION, bkn_client, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert ReferralResponse.objects.filter(referral=referral, kind="rekomendasi").count() == 1
    assert Notification.objects.filter(template="referral_response", channel="inbox").count() == 1
    # without a key a retry is a new request: the referral is no longer awaiting a recommendation
    assert post(client, rec_url(referral), RECOMMENDATION, bkn_client).status_code == 409


def test_a_key_reused_for_another_request_is_refused(client, referral, bkn_client):
    key = {"HTTP_IDEMPOTENCY_KEY": "bkn-rek-0002"}
    assert post(client, rec_url(referral), RECOMMENDATION, bkn_client, **key).status_code == 201
    other = post(client, rec_url(referral), {**RECOMMENDATION, "number": "R-8"}, bkn_client, **key)
    assert other.status_code == 422
    assert "sudah dipakai" in other.json()["detail"]


def test_keys_belong_to_their_client(client, offices, pengawas, koordinator, regions, institutions, bkn_client):
    first, second = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=2, start=5)
    other_bkn = make_client(institutions.bkn, code="bkn-cadangan")
    key = {"HTTP_IDEMPOTENCY_KEY": "sama"}
    assert post(client, rec_url(first), RECOMMENDATION, bkn_client, **key).status_code == 201
    assert post(client, rec_url(second), RECOMMENDATION, other_bkn, **key).status_code == 201
    assert IdempotencyKey.objects.filter(key="sama").count() == 2


def test_a_refusal_is_replayed_too(client, referral, bkn_client):
    key = {"HTTP_IDEMPOTENCY_KEY": "bkn-ppk-early"}
    early = post(
        client,
        ppk_url(referral),
        {"number": "800/1", "date": "2024-11-10", "sanction": "teguran_lisan"},
        bkn_client,
        **key,
    )
    assert early.status_code == 409
    assert early.json()["detail"].startswith("Keputusan PPK dicatat setelah rekomendasi terbukti")
    again = post(
        client,
        ppk_url(referral),
        {"number": "800/1", "date": "2024-11-10", "sanction": "teguran_lisan"},
        bkn_client,
        **key,
    )
    assert (again.status_code, again.json()) == (409, early.json())


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"date": "2024-11-04", "proven": True},
            {"sanction": ["Rekomendasi terbukti harus menyebut sanksi yang direkomendasikan."]},
        ),
        ({"date": "2024-11-04"}, {"proven": ["Pilih hasil rekomendasi."]}),
        ({"proven": False}, {"date": ["Isi tanggal."]}),
        ({"date": "besok", "proven": False}, {"date": None}),
        ({"date": "2024-11-04", "proven": True, "sanction": "dipecat"}, {"sanction": None}),
    ],
)
def test_recommendation_validation_as_in_the_web_form(client, referral, bkn_client, data, errors):
    response = post(client, rec_url(referral), data, bkn_client)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Data yang dikirim tidak valid."
    assert set(body["errors"]) == set(errors)
    for field, messages in errors.items():
        if messages is not None:
            assert body["errors"][field] == messages
    assert not ReferralResponse.objects.filter(referral=referral).exists()


def test_a_date_in_the_future_is_refused(client, referral, bkn_client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, rec_url(referral), {**RECOMMENDATION, "date": tomorrow}, bkn_client)
    assert response.json()["errors"] == {"date": ["Tanggal tidak boleh di masa depan."]}


def test_the_service_itself_refuses_a_date_in_the_future(referral, bkn_client):
    from cases.api import services as api_services
    from cases.workflow.services import CaseError

    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CaseError, match="masa depan"):
        api_services.api_record_recommendation(
            referral=referral, client=bkn_client, number="R-1", date=tomorrow, proven=False
        )
    assert not ReferralResponse.objects.filter(referral=referral).exists()


def test_ppk_decision_after_a_proven_recommendation(client, referral, bkn_client, pengawas):
    referrals.referral_record_recommendation(
        referral=referral, actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction="teguran_lisan"
    )
    neither = post(client, ppk_url(referral), {"number": "800/9", "date": "2024-11-10"}, bkn_client)
    assert neither.status_code == 400 and "sanction" in neither.json()["errors"]
    no_number = post(client, ppk_url(referral), {"date": "2024-11-10", "sanction": "teguran_lisan"}, bkn_client)
    assert no_number.json()["errors"] == {"number": ["Isi nomor keputusan PPK."]}
    done = post(
        client, ppk_url(referral), {"number": "800/9", "date": "2024-11-10", "sanction": "teguran_lisan"}, bkn_client
    )
    assert done.status_code == 201 and done.json()["status"] == ReferralStatus.SANCTIONED
    assert CaseEvent.objects.filter(case=referral.case, action="referral.ppk_decided").count() == 1


def test_a_not_proven_recommendation_closes_the_referral(client, referral, bkn_client):
    response = post(client, rec_url(referral), {"date": "2024-11-04", "proven": False, "number": "R-9"}, bkn_client)
    assert response.status_code == 201
    assert response.json()["status"] == ReferralStatus.CLOSED
    assert response.json()["closed_as"] == "tidak_terbukti"


def test_a_read_token_cannot_write_and_another_institution_finds_nothing(
    client, referral, institutions, employer_client
):
    reader = make_client(institutions.bkn, code="bkn-baca", scope=ApiScope.READ)
    refused = post(client, rec_url(referral), RECOMMENDATION, reader)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Token ini hanya boleh membaca; tanggapan dikirim dengan token baca-tulis."
    assert post(client, rec_url(referral), RECOMMENDATION, employer_client).status_code == 404
    assert not ReferralResponse.objects.filter(referral=referral).exists()


def test_json_only(client, referral, bkn_client):
    response = client.post(
        rec_url(referral), "number=1", content_type="application/x-www-form-urlencoded", **auth(bkn_client)
    )
    assert response.status_code == 415
    assert response.json()["detail"] == "Kirim data sebagai JSON (Content-Type: application/json)."
    broken = client.post(rec_url(referral), "{", content_type="application/json", **auth(bkn_client))
    assert (broken.status_code, broken.json()["detail"]) == (400, "Isi permintaan bukan JSON yang sah.")
