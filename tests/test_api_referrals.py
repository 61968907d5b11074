"""Reading referrals through the API: who sees what, filters, sync paging, ETags, bounded queries, and
nothing about the reporter."""

import base64
import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Person, Referral, ReferralStatus
from cases.referrals import services as referrals
from cases.workflow import services
from netralitas.accounts.models import ApiRequestLog
from tests.api_world import add_evidence, auth, make_client, sent_referrals
from tests.factories import ALL_REQUIREMENTS, declare_succession, make_case

WIB = ZoneInfo("Asia/Jakarta")
LIST = "/api/v1/referrals/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(offices, pengawas, koordinator, regions, institutions):
    return lambda institution, **kw: sent_referrals(offices, pengawas, koordinator, regions, institution, **kw)


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def detail(code) -> str:
    return f"/api/v1/referrals/{code}/"


def test_a_client_sees_only_what_was_sent_to_its_institution(client, world, institutions, bkn_client, employer_client):
    to_bkn = world(institutions.bkn, n=2)
    to_employer = world(institutions.employer, n=1, kind="honorer", start=10)
    assert codes(client.get(LIST, **auth(bkn_client))) == {str(r.code) for r in to_bkn}
    assert codes(client.get(LIST, **auth(employer_client))) == {str(to_employer[0].code)}
    # another institution's referral is not found, not forbidden: its existence is not told
    response = client.get(detail(to_employer[0].code), **auth(bkn_client))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Data tidak ditemukan.", "errors": {}}
    assert client.get(detail(to_bkn[0].code), **auth(bkn_client)).status_code == 200


def test_drafts_never_appear(client, world, institutions, bkn_client):
    [draft] = world(institutions.bkn, send=False)
    assert draft.status == ReferralStatus.DRAFT
    assert codes(client.get(LIST, **auth(bkn_client))) == set()
    assert client.get(detail(draft.code), **auth(bkn_client)).status_code == 404


def test_a_case_under_review_never_appears(client, world, institutions, bkn_client):
    [referral] = world(institutions.bkn)
    # the case is reopened for review (a state no transition reaches today; the selector must hold anyway)
    Case.objects.filter(pk=referral.case_id).update(status=CaseStatus.UNDER_REVIEW)
    assert codes(client.get(LIST, **auth(bkn_client))) == set()
    assert client.get(detail(referral.code), **auth(bkn_client)).status_code == 404


def test_a_successor_sees_what_was_transferred_to_it_with_the_earlier_responses(
    client, offices, pengawas, koordinator, operator, regions, institutions, bkn_client
):
    [old] = sent_referrals(offices, pengawas, koordinator, regions, institutions.kasn, year=2020)
    referrals.referral_acknowledge(referral=old, actor=pengawas, acknowledged_on=date(2020, 10, 22), number="T-1")
    declare_succession(institutions, operator, on=date(2024, 9, 2))
    moved = Referral.objects.get(transferred_from=old)
    kasn_client = make_client(institutions.kasn)
    assert codes(client.get(LIST, **auth(bkn_client))) == {str(moved.code)}
    assert codes(client.get(LIST, **auth(kasn_client))) == {str(old.code)}
    body = client.get(detail(moved.code), **auth(bkn_client)).json()
    assert body["transferred_from"] == str(old.code)
    assert [(r["kind"], r["number"]) for r in body["responses"]] == [("diterima", "T-1")]
    assert "referral.transferred" in [e["action"] for e in body["timeline"]]


def test_a_client_limited_to_an_office_sees_only_that_region(
    client, world, institutions, offices, regions, outsider, koordinator
):
    from netralitas.accounts.models import Membership, Role

    [ours] = world(institutions.bkn)
    Membership.objects.create(user=koordinator, office=offices.palangka_raya, role=Role.KOORDINATOR)
    palangka = make_case(office=offices.palangka_raya, actor=outsider, **ALL_REQUIREMENTS)
    assert palangka.office == offices.palangka_raya
    limited = make_client(institutions.bkn, code="bkn-kalteng-gm", office=offices.gunung_mas)
    elsewhere = make_client(institutions.bkn, code="bkn-palangka", office=offices.palangka_raya)
    assert codes(client.get(LIST, **auth(limited))) == {str(ours.code)}
    assert codes(client.get(LIST, **auth(elsewhere))) == set()
    assert client.get(detail(ours.code), **auth(elsewhere)).status_code == 404


def test_the_representation_carries_the_case_subject_evidence_and_timeline(
    client, world, institutions, bkn_client, pengawas
):
    from cases.demo import png_bytes

    [referral] = world(institutions.bkn)
    case = referral.case
    add_evidence(case, content=png_bytes((1, 2, 3)))
    add_evidence(case, content=png_bytes((4, 5, 6)), subject=None, name="lain.png")
    other = case.subjects.create(
        person=Person.objects.create(name="Orang Lain", employment_type="pns", region=case.office.region)
    )
    add_evidence(case, content=png_bytes((7, 8, 9)), subject=other, name="orang-lain.png")
    body = client.get(detail(referral.code), **auth(bkn_client)).json()
    assert body["subject"]["nip"] == "198503122010011000"
    assert [t["code"] for t in body["subject"]["violation_types"]] == ["MEDSOS-INTERAKSI"]
    assert body["case"]["number"] == case.number
    assert body["case"]["region"] == {"code": "62.10", "name": "Kabupaten Gunung Mas"}
    assert [e["original_name"] for e in body["evidence"]] == ["foto.png", "lain.png"]  # not another subject's
    evidence = body["evidence"][0]
    assert len(evidence["sha256"]) == 64
    file_response = client.get(evidence["download"], **auth(bkn_client))
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content) == png_bytes((1, 2, 3))
    file_response.close()
    assert file_response["X-Content-SHA256"] == evidence["sha256"]
    assert base64.b64decode(file_response["Digest"].removeprefix("sha-256=")).hex() == evidence["sha256"]
    actions = [e["action"] for e in body["timeline"]]
    assert actions[0] == "case.created" and "case.decide" in actions and "referral.sent" in actions


def test_the_minutes_and_the_referral_s_own_documents_are_shared_with_their_hashes(
    client, world, institutions, bkn_client, pengawas
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.evidence.services import document_add

    first, second = world(institutions.bkn, n=2)
    case = first.case

    def upload(name, **kw):
        content = f"%PDF-1.4\n% {name}\n%%EOF\n".encode()
        file = SimpleUploadedFile(name, content, content_type="application/pdf")
        return document_add(case=case, actor=pengawas, upload=file, dated=date(2024, 11, 4), **kw), content

    minutes, minutes_bytes = upload("ba-pleno.pdf", kind="ba_pleno", number="BA-7")
    upload("rekomendasi-1.pdf", kind="rekomendasi", referral=first)
    upload("rekomendasi-2.pdf", kind="rekomendasi", referral=second)  # the other person's: not shared with first
    body = client.get(detail(first.code), **auth(bkn_client)).json()
    assert [(d["kind"], d["original_name"]) for d in body["documents"]] == [
        ("ba_pleno", "ba-pleno.pdf"),
        ("rekomendasi", "rekomendasi-1.pdf"),
    ]
    shared = body["documents"][0]
    assert (shared["sha256"], shared["number"], shared["dated"]) == (minutes.sha256, "BA-7", "2024-11-04")
    assert "document.added" in [e["action"] for e in body["timeline"]]
    other = second.documents.get()
    assert (
        client.get(reverse("api:document-file", args=[first.code, other.code]), **auth(bkn_client)).status_code == 404
    )
    response = client.get(shared["download"], **auth(bkn_client))  # (closing a file response ends the request)
    assert b"".join(response.streaming_content) == minutes_bytes and response["X-Content-SHA256"] == minutes.sha256
    response.close()


def test_evidence_of_another_institution_s_referral_cannot_be_downloaded(
    client, world, institutions, bkn_client, employer_client, pengawas
):
    from cases.demo import png_bytes

    [referral] = world(institutions.bkn)
    evidence = add_evidence(referral.case, content=png_bytes((9, 9, 9)))
    url = reverse("api:evidence-file", args=[referral.code, evidence.code])
    assert client.get(url, **auth(employer_client)).status_code == 404
    assert client.get(url).status_code == 401


def test_the_reporter_never_appears_nor_the_clarification_meetings(
    client, offices, pengawas, koordinator, regions, institutions, bkn_client
):
    [referral] = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn)
    case = referral.case
    # the timeline rows the services write when the reporter is invited and their address is corrected
    services.record_event(case, pengawas, "meeting.scheduled", invitee="Warga Pelapor", role="pelapor", place="Kantor")
    services.record_event(
        case, pengawas, "case.updated", changes={"title": ["a", "b"]}, reporter_changed=["address", "phone"]
    )
    assert case.reporter.name == "Warga Pelapor" and case.reporter.phone == "0812000000"
    body = client.get(detail(referral.code), **auth(bkn_client)).content.decode()
    listing = client.get(LIST, **auth(bkn_client)).content.decode()
    for text in (body, listing):
        assert "Warga Pelapor" not in text
        assert "0812000000" not in text
        assert "reporter" not in text
        assert "meeting." not in text


def test_filters_status_election_region_dates_and_updated_since(client, world, institutions, bkn_client, pengawas):
    first, second = world(institutions.bkn, n=2)
    referrals.referral_record_recommendation(
        referral=first, actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction="teguran_lisan"
    )
    get = lambda **params: codes(client.get(LIST, params, **auth(bkn_client)))  # noqa: E731
    assert get(status="awaiting_ppk") == {str(first.code)}
    assert get(status=["sent", "awaiting_ppk"]) == {str(first.code), str(second.code)}
    assert get(election=first.case.election_id) == {str(first.code), str(second.code)}
    assert get(election=first.case.election_id + 1000) == set()
    assert get(region="62.10") == {str(first.code), str(second.code)}
    assert get(region="62.71") == set()
    assert get(sent_from="2024-10-21", sent_to="2024-10-21") == {str(first.code), str(second.code)}
    assert get(sent_from="2024-10-22") == set()
    first.refresh_from_db()
    second.refresh_from_db()
    assert get(updated_since=second.updated_at.isoformat()) == {str(first.code)}
    bad = client.get(LIST, {"updated_since": "kemarin", "status": "hilang"}, **auth(bkn_client))
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Data yang dikirim tidak valid."
    assert set(bad.json()["errors"]) == {"updated_since", "status"}
    # a time without a zone is read as WIB
    wib = timezone.localtime(second.updated_at).replace(tzinfo=None).isoformat()
    assert get(updated_since=wib) == {str(first.code)}


def test_sync_by_cursor_misses_nothing_when_rows_change_while_paging(client, world, institutions, bkn_client, pengawas):
    rows = world(institutions.bkn, n=5)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    seen: list[str] = []
    url = LIST + "?" + f"updated_since={since.replace('+', '%2B')}&page_size=2"
    page = client.get(url, **auth(bkn_client)).json()
    seen += [r["code"] for r in page["results"]]
    # while the client is between pages: one row it has seen and one it has not yet seen change
    by_code = {str(r.code): r for r in rows}
    unseen = next(code for code in by_code if code not in seen)
    for code in (seen[0], unseen):
        referrals.referral_acknowledge(referral=by_code[code], actor=pengawas, acknowledged_on=date(2024, 10, 23))
    while page["next"]:
        page = client.get(page["next"], **auth(bkn_client)).json()
        seen += [r["code"] for r in page["results"]]
    assert set(seen) == set(by_code)  # nothing skipped
    assert seen[-2:] == [seen[0], unseen]  # the changed rows moved to the end, in the order they changed
    assert len(seen) == 6  # the one changed after it was read comes again, with its change


def test_a_bad_cursor_is_a_400_with_a_message(client, bkn_client):
    response = client.get(LIST, {"cursor": "bukan-kursor"}, **auth(bkn_client))
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Kursor tidak valid; pakai tautan 'next' apa adanya."]}


def test_etag_answers_304_until_something_changes(client, world, institutions, bkn_client, pengawas):
    [referral] = world(institutions.bkn)
    for url in (LIST, detail(referral.code)):
        first = client.get(url, **auth(bkn_client))
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag, **auth(bkn_client))
        assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    referrals.referral_acknowledge(referral=referral, actor=pengawas, acknowledged_on=date(2024, 10, 23))
    changed = client.get(detail(referral.code), HTTP_IF_NONE_MATCH=etag, **auth(bkn_client))
    assert changed.status_code == 200 and changed["ETag"] != etag


@pytest.mark.parametrize("n", [3, 30])
def test_a_page_costs_the_same_number_of_queries_for_3_or_30_referrals(
    n, client, world, institutions, bkn_client, django_assert_num_queries
):
    from cases.demo import png_bytes

    for referral in world(institutions.bkn, n=n):
        add_evidence(referral.case, content=png_bytes((n, 1, 2)), subject=referral.subject)
    # token, page (with each referral's violation types, evidence and responses), its institution, elections
    # and offices (looked up in one query, not joined), timeline, request log
    with django_assert_num_queries(5):
        response = client.get(LIST, **auth(bkn_client))
    assert len(response.json()["results"]) == n
    assert all(len(row["evidence"]) == 1 for row in response.json()["results"])


def test_a_detail_costs_a_fixed_number_of_queries(client, world, institutions, bkn_client, django_assert_num_queries):
    from cases.demo import png_bytes

    [referral] = world(institutions.bkn)
    add_evidence(referral.case, content=png_bytes((1, 1, 1)))
    # token, referral (with its lists), its institution, election and office, timeline, request log
    with django_assert_num_queries(5):
        assert client.get(detail(referral.code), **auth(bkn_client)).status_code == 200


def test_every_request_of_a_client_is_logged(client, world, institutions, bkn_client):
    [referral] = world(institutions.bkn)
    client.get(LIST, **auth(bkn_client))
    client.get(detail(referral.code), **auth(bkn_client))
    client.get(detail("00000000-0000-0000-0000-000000000000"), **auth(bkn_client))
    rows = list(ApiRequestLog.objects.order_by("pk").values_list("client_id", "token_id", "method", "path", "status"))
    assert rows == [
        (bkn_client.pk, bkn_client.token_row.pk, "GET", LIST, 200),
        (bkn_client.pk, bkn_client.token_row.pk, "GET", detail(referral.code), 200),
        (bkn_client.pk, bkn_client.token_row.pk, "GET", detail("00000000-0000-0000-0000-000000000000"), 404),
    ]


def test_referral_list_json_is_valid_for_an_empty_scope(client, bkn_client):
    response = client.get(LIST, **auth(bkn_client))
    assert json.loads(response.content) == {"next": None, "results": []}


def test_referral_status_filter_values_are_the_model_s(client, bkn_client):
    for status in ReferralStatus.values:
        assert client.get(LIST, {"status": status}, **auth(bkn_client)).status_code == 200
    assert Referral.objects.count() == 0


def test_a_server_error_is_json_too(client, bkn_client, monkeypatch, settings):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr("cases.api.selectors.referrals_for_client", broken)
    response = client.get(LIST, **auth(bkn_client))
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "Terjadi galat di server; coba lagi nanti.",
        "errors": {},
    }
    assert ApiRequestLog.objects.get().status == 500


def test_a_client_throttle_rate_must_be_readable(institutions):
    from django.core.exceptions import ValidationError

    client = make_client(institutions.bkn, throttle_rate="banyak")
    with pytest.raises(ValidationError) as refused:
        client.full_clean()
    assert "throttle_rate" in refused.value.message_dict


def test_an_institution_sees_its_subject_s_evidence_and_timeline_never_another_s(
    client, offices, pengawas, koordinator, operator, regions, institutions, bkn_client
):
    """What an institution sees of a referral, in the list as in the detail: evidence with and without a file,
    of the referral's subject and of the case (never another subject's, nor downloadable through this
    referral); responses carried over a transfer; a recommendation; a subject with no agency; a timeline with
    entries about another subject, another subject's evidence, a meeting and data that must not be passed on."""
    from cases.demo import png_bytes
    from cases.models import CaseEvent

    [old] = sent_referrals(offices, pengawas, koordinator, regions, institutions.kasn, year=2020)
    referrals.referral_acknowledge(referral=old, actor=pengawas, acknowledged_on=date(2020, 10, 22), number="T-1")
    declare_succession(institutions, operator, on=date(2024, 9, 2))
    moved = Referral.objects.get(transferred_from=old)
    first, second = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=2, start=10)
    assert first.case_id == second.case_id
    case_wide = add_evidence(first.case, content=png_bytes((1, 2, 3)))
    mine = add_evidence(first.case, content=png_bytes((4, 5, 6)), subject=first.subject, name="<b>terlapor</b>.png")
    theirs = add_evidence(first.case, content=png_bytes((7, 8, 9)), subject=second.subject, name="lain.png")
    link = first.case.evidence.create(kind="tautan", url="https://example.org/p/1", url_normalized="example.org/p/1")
    for evidence in (mine, theirs):
        CaseEvent.objects.create(case=first.case, action="evidence.added", data={"evidence": str(evidence.code)})
    CaseEvent.objects.create(case=first.case, action="meeting.scheduled", data={"witness": "Saksi"})
    CaseEvent.objects.create(
        case=first.case, action="case.updated", data={"reporter_fields": ["phone"], "source": "laporan"}
    )
    referrals.referral_record_recommendation(
        referral=first, actor=pengawas, number="R-1", date=date(2024, 11, 4), proven=True, sanction="teguran_lisan"
    )
    Person.objects.filter(pk=second.subject.person_id).update(agency=None)

    page = client.get(LIST, **auth(bkn_client)).json()["results"]
    assert {row["code"] for row in page} == {str(moved.code), str(first.code), str(second.code)}
    by_code = {row["code"]: row for row in page}
    shown = by_code[str(first.code)]
    assert shown == client.get(detail(first.code), **auth(bkn_client)).json()
    assert {e["code"] for e in shown["evidence"]} == {str(case_wide.code), str(mine.code), str(link.code)}
    assert {e["code"] for e in by_code[str(second.code)]["evidence"]} == {
        str(case_wide.code),
        str(theirs.code),
        str(link.code),
    }
    assert [e["download"] is None for e in shown["evidence"]] == [False, False, True]
    # one entry: about this subject's evidence (the code itself is not passed on), not the other subject's
    assert len([e for e in shown["timeline"] if e["action"] == "evidence.added"]) == 1
    assert not any(e["action"].startswith("meeting.") for e in shown["timeline"])
    assert [e["data"] for e in shown["timeline"] if e["action"] == "case.updated"] == [{"source": "laporan"}]
    subject_entries = [e for e in shown["timeline"] if e["action"].startswith("subject.")]
    assert subject_entries and all(e["data"].get("person") != "Terlapor Api 11" for e in subject_entries)
    assert shown["responses"][0]["number"] == "R-1"
    assert by_code[str(second.code)]["subject"]["agency"] == ""  # the serializer's default, as DRF gives it
    assert [r["number"] for r in by_code[str(moved.code)]["responses"]] == ["T-1"]
    assert by_code[str(moved.code)]["transferred_from"] == str(old.code)
    # a file is served through the referral it is shared with only
    theirs_here = client.get(reverse("api:evidence-file", args=[first.code, theirs.code]), **auth(bkn_client))
    assert theirs_here.status_code == 404
    own = client.get(reverse("api:evidence-file", args=[first.code, mine.code]), **auth(bkn_client))
    assert own.status_code == 200
    own.close()
