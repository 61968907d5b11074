"""Reports from the public page: intake into the office's queue with the reporter protected, the tracking
code's public stage, abuse (rate limit per address, honeypot, file checks, the same post linked) and
nothing typed lost on a refused submit."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Evidence, PublicReport
from cases.workflow import services
from netralitas.notify.models import Notification
from tests.factories import ElectionFactory, PersonFactory
from tests.test_case_views import png_bytes

URL = "/lapor/"


@pytest.fixture
def election(regions):
    return ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=30))


def form_data(offices, **overrides):
    today = timezone.localdate()
    data = {
        "office": offices.gunung_mas.pk,
        "title": "Kepala dinas membagikan unggahan paslon 2",
        "chronology": "Pada hari Senin kepala dinas membagikan unggahan akun paslon nomor 2 ke grup WhatsApp kantor.",
        "place": "Grup WhatsApp Dinas Pendidikan",
        "occurred_on": (today - timedelta(days=2)).isoformat(),
        "known_on": (today - timedelta(days=1)).isoformat(),
        "reported_name": "Budi Terlapor",
        "reported_position": "Kepala Dinas Pendidikan",
        "reported_address": "Kuala Kurun",
        "witnesses": "Sari, 0812333",
        "links": "https://www.facebook.com/paslon2/posts/123?fbclid=abc",
        "consent_contact": "on",
        "truthful": "on",
        "website": "",
        "pelapor-name": "Warga Pelapor Rahasia",
        "pelapor-address": "Jl. Tjilik Riwut, Kuala Kurun",
        "pelapor-phone": "0812 5555 1234",
        "pelapor-email": "warga@contoh.test",
        "pelapor-nationality": "Indonesia",
    }
    data.update(overrides)
    return data


def submit(client, offices, files=(), address="203.0.113.7", **overrides):
    data = form_data(offices, **overrides)
    if files:
        data["files"] = list(files)
    return client.post(URL, data, REMOTE_ADDR=address)


def screenshot(name="tangkapan.png", color=(200, 30, 30)):
    return SimpleUploadedFile(name, png_bytes(color), content_type="image/png")


def test_the_public_page_explains_the_time_limit_and_needs_no_account(client, db):
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "paling lambat 7 hari sejak Anda mengetahui kejadian" in body
    assert 'name="website"' in body and 'tabindex="-1"' in body  # the honeypot, out of people's way
    assert "Identitas Anda sebagai pelapor dijaga" in body


def test_a_report_lands_in_the_offices_intake_queue_with_the_reporter_protected(
    client, offices, election, pengawas, koordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = submit(client, offices, files=[screenshot()])
    assert response.status_code == 302
    report = PublicReport.objects.get()
    assert response["Location"] == f"/lapor/status/{report.tracking_code}/"
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", report.tracking_code)
    case = report.case
    assert (case.office, case.source, case.status, case.election) == (
        offices.gunung_mas,
        "laporan",
        "received",
        election,
    )
    assert case.reporter.name == "Warga Pelapor Rahasia" and case.created_by is None
    assert case.known_on == timezone.localdate() - timedelta(days=1) and not case.filed_late
    kinds = sorted(case.evidence.values_list("kind", flat=True))
    assert kinds == ["screenshot", "tautan"]
    assert len(case.evidence.get(kind="screenshot").sha256) == 64
    assert case.events.first().action == "public_report.received"

    # staff are told; the reporter gets a receipt
    assert set(
        Notification.objects.filter(template="public_report_new", channel="inbox").values_list(
            "recipient__username", flat=True
        )
    ) == {"pengawas", "koordinator"}
    assert Notification.objects.get(template="public_report_receipt").email == "warga@contoh.test"

    # the office's intake queue
    client.force_login(pengawas)
    queue = client.get(reverse("cases:list") + "?status=received").content.decode()
    assert "Kepala dinas membagikan unggahan paslon 2" in queue
    detail = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert report.tracking_code in detail and "Warga Pelapor Rahasia" in detail


def test_the_tracking_code_shows_under_review_then_registered_and_nothing_internal(
    client, offices, election, pengawas, koordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    submit(client, offices, files=[screenshot()])
    report = PublicReport.objects.get()
    page = client.get(f"/lapor/status/{report.tracking_code}/")
    body = page.content.decode()
    assert "Laporan Anda terkirim" in body and report.tracking_code in body
    assert "Dalam kajian awal" in body

    case = report.case
    Case.objects.filter(pk=case.pk).update(**dict.fromkeys(Case.FORMAL_REQUIREMENTS + Case.MATERIAL_REQUIREMENTS, True))
    case.refresh_from_db()
    case = services.case_transition(case=case, actor=koordinator, name="register", expected_version=None)
    person = PersonFactory(name="Nama Subjek Internal", region=offices.gunung_mas.region)
    services.subject_add(case=case, actor=pengawas, person=person, note="catatan internal staf")
    services.case_assign(case=case, actor=koordinator, assignee=pengawas, expected_version=None)

    body = client.get(f"/lapor/status/{report.tracking_code}/").content.decode()
    assert "Diregistrasi" in body
    assert "Laporan Anda terkirim" not in body  # the banner once only
    for secret in ["Nama Subjek Internal", "catatan internal", pengawas.display_name, koordinator.display_name,
                   "Warga Pelapor Rahasia", "Budi Terlapor", case.number]:  # fmt: skip
        assert secret not in body


def test_looking_up_a_code_is_forgiving_and_a_wrong_one_says_so(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    submit(client, offices)
    code = PublicReport.objects.get().tracking_code
    typed = code.lower().replace("-", " ")
    assert client.get("/lapor/status/", {"kode": typed})["Location"] == f"/lapor/status/{code}/"
    wrong = client.get("/lapor/status/", {"kode": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 404 and "tidak ditemukan" in wrong.content.decode()
    assert client.get("/lapor/status/AAAA-BBBB-CCCC/").status_code == 404


def test_a_refused_submit_keeps_everything_typed_and_the_files(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = submit(client, offices, files=[screenshot("bukti-pertama.png")], title="", **{"pelapor-phone": "abc"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tuliskan singkat apa yang terjadi." in body
    assert "Nomor telepon hanya berisi angka" in body
    assert "Budi Terlapor" in body and "Warga Pelapor Rahasia" in body and "Grup WhatsApp Dinas Pendidikan" in body
    assert "bukti-pertama.png" in body  # kept: no need to upload it again
    kept = re.search(r'name="berkas_tersimpan" value="([^"]+)"', body).group(1)
    assert PublicReport.objects.count() == 0

    response = submit(client, offices, berkas_tersimpan=kept)
    assert response.status_code == 302
    case = PublicReport.objects.get().case
    assert case.evidence.get(kind="screenshot").original_name == "bukti-pertama.png"
    assert not list((tmp_path / "public-pending").rglob("*.*")) and not any(
        p.is_file() for p in (tmp_path / "public-pending").rglob("*")
    )


def test_a_tampered_list_of_kept_files_is_ignored(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert submit(client, offices, berkas_tersimpan="palsu:evidence/aa/bb").status_code == 302
    assert PublicReport.objects.get().case.evidence.filter(kind="screenshot").count() == 0


def test_files_are_checked_as_staff_uploads_are(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    script = SimpleUploadedFile("foto.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = submit(client, offices, files=[script])
    assert response.status_code == 400
    assert "tidak dikenali sebagai jenis yang diizinkan" in response.content.decode()
    assert PublicReport.objects.count() == 0
    settings.EVIDENCE_MAX_BYTES = 10
    response = submit(client, offices, files=[screenshot()])
    assert response.status_code == 400 and "terlalu besar" in response.content.decode()


def test_a_flood_from_one_address_is_slowed_without_losing_the_first_reports(
    client, offices, election, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_REPORT_LIMIT_PER_HOUR = 3
    answers = [
        submit(client, offices, links=f"https://x.com/akun/status/{n}", title=f"Laporan {n}").status_code
        for n in range(6)
    ]
    assert answers == [302, 302, 302, 429, 429, 429]
    assert sorted(Case.objects.values_list("title", flat=True)) == ["Laporan 0", "Laporan 1", "Laporan 2"]
    refused = submit(client, offices, links="https://x.com/akun/status/9", title="Laporan 9")
    body = refused.content.decode()
    assert "Terlalu banyak laporan dari alamat jaringan ini" in body and "Laporan 9" in body  # kept
    # another address is not slowed by this one
    assert submit(client, offices, address="198.51.100.1", links="https://x.com/a/status/10").status_code == 302


def test_a_bot_filling_the_hidden_field_is_refused(client, offices, election):
    response = submit(client, offices, website="http://spam.example")
    assert response.status_code == 400
    assert PublicReport.objects.count() == 0


def test_the_same_post_reported_again_is_linked_to_its_open_case(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    submit(client, offices, files=[screenshot()])
    submit(
        client,
        offices,
        files=[screenshot()],
        address="198.51.100.2",
        links="https://facebook.com/paslon2/posts/123",  # the same post, written another way
        **{"pelapor-name": "Pelapor Kedua"},
    )
    assert Case.objects.count() == 1
    first, second = PublicReport.objects.order_by("pk")
    assert (first.case_id, second.case_id, second.linked) == (first.case_id, first.case_id, True)
    assert first.tracking_code != second.tracking_code
    case = first.case
    assert case.evidence.count() == 2  # the same screenshot and the same link are not stored twice
    assert list(case.events.values_list("action", flat=True)) == [
        "public_report.received",
        "evidence.added",
        "evidence.added",
        "public_report.linked",
    ]
    # once the case is no longer open, the same post makes a new case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOT_REGISTERED, closed_at=timezone.now())
    submit(client, offices, address="198.51.100.3")
    assert Case.objects.count() == 2


def test_the_report_due_hint(client, offices, election):
    known = timezone.localdate() - timedelta(days=20)
    body = client.get(
        "/lapor/batas/", {"office": offices.gunung_mas.pk, "known_on": known.isoformat()}
    ).content.decode()
    assert "Batas melapor untuk tanggal itu" in body and "sudah lewat" in body
    assert client.get("/lapor/batas/", {"office": "x", "known_on": "kemarin"}).status_code == 200


def test_evidence_from_the_public_has_no_uploader(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    submit(client, offices, files=[screenshot()])
    assert Evidence.objects.filter(uploaded_by__isnull=True).count() == 2


def test_hostile_input_is_refused_without_a_server_error(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/lapor/status/", {"kode": "AB\x00C"}).status_code == 404
    assert client.get("/lapor/status/AB%00C/").status_code == 404
    assert client.get("/lapor/status/", {"kode": "x" * 5000}).status_code == 404
    assert client.get("/lapor/batas/", {"office": offices.gunung_mas.pk, "known_on": "9999-12-31"}).status_code == 200
    long_link = "https://facebook.com/" + "a" * 1200
    response = submit(client, offices, links=long_link)
    assert response.status_code == 400 and "Budi Terlapor" in response.content.decode()
    response = submit(client, offices, occurred_on="0001-01-01", known_on="0001-01-02")
    assert response.status_code == 400 and "terlalu lama" in response.content.decode()
    assert PublicReport.objects.count() == 0


def test_a_national_election_is_found(client, offices, regions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pemilu = ElectionFactory(kind="pemilu", region=None, year=2029, voting_day=timezone.localdate() + timedelta(days=5))
    assert submit(client, offices).status_code == 302
    assert PublicReport.objects.get().case.election == pemilu


def test_a_linked_report_keeps_its_own_account_and_receipts_carry_no_typed_text(
    client, offices, election, settings, tmp_path
):
    from netralitas.notify.services import render

    settings.MEDIA_ROOT = tmp_path
    submit(client, offices)
    submit(client, offices, address="198.51.100.9", title="Judul <b>laporan kedua</b>", chronology="Cerita kedua.")
    first, second = PublicReport.objects.order_by("pk")
    assert second.linked and second.title == "Judul <b>laporan kedua</b>" and second.chronology == "Cerita kedua."
    receipt = Notification.objects.filter(template="public_report_receipt").order_by("pk").last()
    _subject, text, html = render(receipt)
    assert second.tracking_code in text and "laporan kedua" not in text + html and "Warga" not in text
    assert first.case.title not in text


def test_the_same_file_twice_is_stored_once_and_does_not_block_the_report(
    client, offices, election, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    response = submit(client, offices, files=[screenshot("a.png"), screenshot("b.png")])
    assert response.status_code == 302
    assert PublicReport.objects.get().case.evidence.filter(kind="screenshot").count() == 1


def test_files_kept_for_unfinished_submits_are_bounded_per_address(client, offices, election, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PUBLIC_REPORT_LIMIT_PER_HOUR = 1  # one report's worth of files (5) an hour
    from django.core.cache import cache

    cache.clear()
    for n in range(3):
        submit(client, offices, title="", files=[screenshot(f"{n}-{i}.png", (n, i, 9)) for i in range(2)])
    kept = [p for p in (tmp_path / "public-pending").rglob("*") if p.is_file()]
    assert len(kept) == 5
