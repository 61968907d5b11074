"""Case pages: intake, list and filters, detail, workflow forms, subjects, evidence, outsiders."""

import hashlib
import re
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.evidence import services as evidence_services
from cases.models import Case, CaseStatus, Evidence, Person, ViolationType
from cases.workflow import services
from tests.factories import ALL_REQUIREMENTS, ElectionFactory, PersonFactory, make_case

WIB = ZoneInfo("Asia/Jakarta")


def png_bytes(color=(200, 30, 30)) -> bytes:
    """A real 1x1 PNG (its content is what the upload check reads)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00" + bytes(color)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "netralitas.storage.FileSystemStorage"},
    }


@pytest.fixture
def election(regions):
    return ElectionFactory(name="Pemilihan Bupati Gunung Mas 2024", region=regions.gunung_mas)


@pytest.fixture
def case(offices, pengawas, koordinator, election):
    return make_case(office=offices.gunung_mas, actor=pengawas, election=election, **ALL_REQUIREMENTS)


def detail_url(case):
    return reverse("cases:detail", kwargs={"code": case.code})


# --- intake ----------------------------------------------------------------------------------------------


def test_supervisor_records_a_report_with_the_reporter(client, pengawas, election, regions):
    client.force_login(pengawas)
    url = reverse("cases:create", kwargs={"source": "laporan"})
    page = client.get(url).content.decode()
    assert "Catat laporan" in page and "rahasia" in page
    response = client.post(
        url,
        {
            "election": election.pk,
            "title": "Camat menyukai unggahan paslon",
            "chronology": "Akun camat menyukai unggahan akun resmi paslon 2.",
            "known_on": "2024-10-14",
            "received_at": "2024-10-15T09:30",
            "district": regions.kurun.pk,
            "req_reporter_identity": "on",
            "pelapor-name": "Budi Warga",
            "pelapor-address": "Kuala Kurun",
            "pelapor-phone": "0812345",
            "pelapor-nationality": "Indonesia",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    assert (case.source, case.status, case.reporter.name) == ("laporan", "received", "Budi Warga")
    assert case.req_reporter_identity and not case.req_evidence


def test_a_refused_intake_keeps_everything_typed(client, pengawas, election):
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:create", kwargs={"source": "laporan"}),
        {
            "election": election.pk,
            "title": "Judul yang sudah diketik",
            "chronology": "Kronologi panjang yang sudah diketik.",
            "known_on": "31/02/2024",
            "pelapor-name": "Pelapor Tanpa Kontak",
            "pelapor-address": "Tewah",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal tidak dikenali" in page
    assert "Isi telepon atau e-mail pelapor" in page
    assert "Judul yang sudah diketik" in page and "Kronologi panjang yang sudah diketik." in page
    assert 'value="Pelapor Tanpa Kontak"' in page
    assert not Case.objects.exists()


def test_a_finding_has_no_reporter_section(client, pengawas, election):
    client.force_login(pengawas)
    page = client.get(reverse("cases:create", kwargs={"source": "temuan"})).content.decode()
    assert "Catat temuan" in page and "pelapor-name" not in page and "req_signature" not in page


def test_pemkab_and_admin_cannot_record_cases(client, pemkab, office_admin, election):
    for user in (pemkab, office_admin):
        client.force_login(user)
        assert client.get(reverse("cases:create", kwargs={"source": "laporan"})).status_code == 403


# --- list ------------------------------------------------------------------------------------------------


def test_list_shows_cases_with_their_deadline(client, pengawas, case):
    client.force_login(pengawas)
    page = client.get(reverse("cases:list")).content.decode()
    assert case.title in page and "terlambat" in page  # the initial review of October 2024 is long past


def test_list_filters_in_the_query_string(client, pengawas, koordinator, offices, election):
    a = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus Alfa", **ALL_REQUIREMENTS)
    make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus Beta")
    services.case_transition(case=a, actor=koordinator, name="register", expected_version=None)
    client.force_login(pengawas)
    page = client.get(reverse("cases:list"), {"status": "registered"}).content.decode()
    assert "Kasus Alfa" in page and "Kasus Beta" not in page
    page = client.get(reverse("cases:list"), {"q": "beta"}).content.decode()
    assert "Kasus Beta" in page and "Kasus Alfa" not in page
    # Beta's initial review (October 2024) is long overdue; Alfa, registered today, has 3 days to a decision
    page = client.get(reverse("cases:list"), {"due": "overdue"}).content.decode()
    assert "Kasus Beta" in page and "Kasus Alfa" not in page
    page = client.get(reverse("cases:list"), {"assignee": "me"}).content.decode()
    assert "Tidak ada perkara yang cocok" in page


def test_list_filters_by_violation_type_and_agency(client, pengawas, offices, election, regions):
    from tests.factories import AgencyFactory

    dinas = AgencyFactory(regency=regions.gunung_mas, name="Dinas Pendidikan")
    a = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus Suka")
    make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus Lain")
    services.subject_add(
        case=a,
        actor=pengawas,
        person=PersonFactory(region=regions.gunung_mas, agency=dinas),
        violation_types=ViolationType.objects.filter(code="MEDSOS-INTERAKSI"),
    )
    client.force_login(pengawas)
    vt = ViolationType.objects.get(code="MEDSOS-INTERAKSI")
    page = client.get(reverse("cases:list"), {"violation_type": vt.pk}).content.decode()
    assert "Kasus Suka" in page and "Kasus Lain" not in page
    page = client.get(reverse("cases:list"), {"agency": dinas.pk}).content.decode()
    assert "Kasus Suka" in page and "Kasus Lain" not in page


def test_list_costs_the_same_queries_for_3_or_30_cases(
    client, pengawas, offices, election, regions, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            case = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title=f"Kasus {i}")
            services.subject_add(case=case, actor=pengawas, person=PersonFactory(region=regions.gunung_mas))

    client.force_login(pengawas)
    add(3)
    cache.clear()
    # the offices in scope, read once and compared as values
    with django_assert_num_queries(13) as small:
        client.get(reverse("cases:list"))
    add(27)
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("cases:list"))
    # the filter kept from the request before: its elections, violation types, agencies and districts unread
    with django_assert_num_queries(len(small.captured_queries) - 4):
        assert 'id="filter-perkara"' in client.get(reverse("cases:list")).content.decode()


def test_the_kept_filter_shows_each_query_its_own_choice(client, pengawas, offices, election):
    cache.clear()
    client.force_login(pengawas)
    url = reverse("cases:list")
    assert f'<option value="{election.pk}" selected>' not in client.get(url).content.decode()
    assert f'<option value="{election.pk}" selected>' in client.get(url, {"election": election.pk}).content.decode()
    assert f'<option value="{election.pk}" selected>' in client.get(url, {"election": election.pk}).content.decode()
    assert f'<option value="{election.pk}" selected>' not in client.get(url).content.decode()


def test_outsider_sees_no_gunung_mas_case_in_the_list(client, outsider, case):
    client.force_login(outsider)
    assert case.title not in client.get(reverse("cases:list")).content.decode()


def test_pemkab_is_refused_the_case_list(client, pemkab, case):
    client.force_login(pemkab)
    assert client.get(reverse("cases:list")).status_code == 403


# --- detail and outsiders --------------------------------------------------------------------------------


def test_detail_shows_the_case_and_its_timeline(client, pengawas, case):
    client.force_login(pengawas)
    page = client.get(detail_url(case)).content.decode()
    assert case.title in page and "Perkara dicatat" in page and "Warga Pelapor" in page


def test_detail_costs_the_same_queries_for_1_or_8_subjects_and_evidence(
    client, pengawas, koordinator, case, regions, django_assert_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            services.subject_add(case=case, actor=pengawas, person=PersonFactory(region=regions.gunung_mas))
            evidence_services.evidence_add(
                case=case, actor=pengawas, kind="tautan", url=f"https://facebook.com/post/{i}"
            )

    client.force_login(pengawas)
    add(1, 0)
    # session, user, memberships, offices in scope, case, subjects (+acts), evidence, events, meetings,
    # documents, referrals, duplicates, reports from the public page (a laporan)
    with django_assert_num_queries(15) as small:
        assert client.get(detail_url(case)).status_code == 200
    add(7, 1)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(detail_url(case)).status_code == 200


@pytest.mark.parametrize(
    "name", ["detail", "edit", "extend", "subject_add", "evidence_add", "document_add", "meeting_add", "assign"]
)
def test_outsider_gets_404_on_every_case_page(client, outsider, case, name):
    client.force_login(outsider)
    url = reverse(f"cases:{name}", kwargs={"code": case.code})
    assert client.get(url).status_code in (404, 405) and client.post(url, {}).status_code == 404


def test_outsider_gets_404_on_transitions_and_files(client, outsider, pengawas, case):
    evidence = evidence_services.evidence_add(
        case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("a.png", png_bytes())
    )
    client.force_login(outsider)
    assert client.post(reverse("cases:transition", args=[case.code, "register"]), {"version": 1}).status_code == 404
    assert client.get(reverse("cases:evidence_file", args=[case.code, evidence.code])).status_code == 404


def test_province_supervisor_sees_regency_cases(client, province_supervisor, case):
    client.force_login(province_supervisor)
    assert client.get(detail_url(case)).status_code == 200


# --- workflow through the pages ---------------------------------------------------------------------------


def test_coordinator_registers_through_the_page(client, koordinator, case):
    client.force_login(koordinator)
    url = reverse("cases:transition", args=[case.code, "register"])
    assert "Registrasi" in client.get(url).content.decode()
    response = client.post(url, {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.number


def test_supervisor_sees_no_plenary_buttons_and_is_refused(client, pengawas, case):
    client.force_login(pengawas)
    assert "langkah/register" not in client.get(detail_url(case)).content.decode()
    response = client.post(reverse("cases:transition", args=[case.code, "register"]), {"version": case.version})
    assert "Peran Anda tidak mengizinkan" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_a_refused_step_explains_why_and_keeps_the_reason(client, koordinator, offices, pengawas, election):
    incomplete = make_case(office=offices.gunung_mas, actor=pengawas, election=election)
    client.force_login(koordinator)
    response = client.post(
        reverse("cases:transition", args=[incomplete.code, "register"]),
        {"version": incomplete.version, "reason": "Catatan koordinator"},
    )
    page = response.content.decode()
    assert "Syarat belum terpenuhi" in page and "Catatan koordinator" in page


def test_a_stale_edit_is_refused_and_keeps_the_input(client, pengawas, koordinator, case):
    client.force_login(pengawas)
    opened = case.version
    services.case_update(case=case, actor=koordinator, expected_version=opened, title="Diubah koordinator")
    response = client.post(
        reverse("cases:edit", args=[case.code]),
        {
            "version": opened,
            "title": "Judul dari pengawas",
            "chronology": case.chronology,
            "known_on": "2024-10-14",
            "received_at": "2024-10-15T09:00",
            "pelapor-name": "Warga Pelapor",
            "pelapor-address": "Kuala Kurun",
            "pelapor-phone": "0812000000",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah oleh Nama koordinator" in page
    assert 'value="Judul dari pengawas"' in page
    assert Case.objects.get(pk=case.pk).title == "Diubah koordinator"


# --- subjects --------------------------------------------------------------------------------------------


def test_search_people_by_name_and_nip(client, pengawas, case, regions, outsider):
    PersonFactory(name="Yohana Lestari", nip="198503122010012004", region=regions.gunung_mas)
    PersonFactory(name="Yohana Kota Lain", region=regions.palangka_raya)
    client.force_login(pengawas)
    url = reverse("cases:subject_add", args=[case.code])
    response = client.get(url, {"q": "yohana"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Yohana Lestari" in page and "Yohana Kota Lain" not in page and "<html" not in page
    assert "HX-Request" in response["Vary"]  # the same address answers the whole page
    assert "Yohana Lestari" in client.get(url, {"q": "19850312"}, headers={"HX-Request": "true"}).content.decode()


def test_add_an_existing_person_as_subject(client, pengawas, case, regions):
    person = PersonFactory(name="Asn Lama", region=regions.gunung_mas)
    client.force_login(pengawas)
    vt = ViolationType.objects.get(code="FOTO-GESTUR")
    response = client.post(
        reverse("cases:subject_add", args=[case.code]), {"person": str(person.code), "jenis-violation_types": [vt.pk]}
    )
    assert response.status_code == 302
    subject = case.subjects.get()
    assert subject.person == person and list(subject.violation_types.values_list("code", flat=True)) == ["FOTO-GESTUR"]


def test_a_new_person_with_an_invalid_nip_is_refused_and_kept(client, pengawas, case):
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:subject_add", args=[case.code]),
        {"orang-name": "Asn Baru", "orang-employment_type": "pns", "orang-nip": "198502302010011004"},
    )
    page = response.content.decode()
    assert "tanggal lahir yang ada" in page and 'value="Asn Baru"' in page
    assert not Person.objects.exists()


def test_a_new_honorer_is_added(client, pengawas, case, regions):
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:subject_add", args=[case.code]),
        {"orang-name": "Honorer Satu", "orang-employment_type": "honorer", "orang-position": "Staf"},
    )
    assert response.status_code == 302
    assert case.subjects.get().person.region == regions.gunung_mas


def test_repeat_offender_is_visible(client, pengawas, offices, election, regions):
    person = PersonFactory(name="Pelanggar Berulang", region=regions.gunung_mas)
    for title in ("Kasus Pertama", "Kasus Kedua"):
        c = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title=title)
        services.subject_add(case=c, actor=pengawas, person=person)
    client.force_login(pengawas)
    page = client.get(reverse("cases:person", args=[person.code])).content.decode()
    assert "berulang: 2 perkara" in page and "Kasus Pertama" in page and "Kasus Kedua" in page
    assert "2 perkara" in client.get(detail_url(c)).content.decode()


def test_outsider_gets_404_on_a_person(client, outsider, regions):
    person = PersonFactory(region=regions.gunung_mas)
    client.force_login(outsider)
    assert client.get(reverse("cases:person", args=[person.code])).status_code == 404


# --- evidence --------------------------------------------------------------------------------------------


def test_upload_records_hash_size_and_type_and_serves_the_file(client, pengawas, case):
    client.force_login(pengawas)
    content = png_bytes()
    response = client.post(
        reverse("cases:evidence_add", args=[case.code]),
        {"kind": "screenshot", "upload": SimpleUploadedFile("layar.png", content, content_type="image/png")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert (evidence.size, evidence.mime_type, evidence.original_name) == (len(content), "image/png", "layar.png")
    assert evidence.sha256 in client.get(detail_url(case)).content.decode()
    served = client.get(reverse("cases:evidence_file", args=[case.code, evidence.code]))
    assert b"".join(served.streaming_content) == content
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"


def test_one_post_liked_and_commented_is_one_item_with_both_interactions(client, pengawas, case):
    client.force_login(pengawas)
    url = reverse("cases:evidence_add", args=[case.code])
    post = {"kind": "tautan", "url": "https://www.facebook.com/paslon/posts/9", "comment_text": "Lanjutkan!"}
    response = client.post(url, {**post, "interactions": ["suka", "komentar", "tidak-ada"]})
    assert response.status_code == 200 and "Pilih interaksi dari daftar." in response.content.decode()
    assert client.post(url, {**post, "interactions": ["suka", "komentar"]}).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.interactions == ["suka", "komentar"]
    assert "Menyukai, Berkomentar" in client.get(detail_url(case)).content.decode()


def test_a_false_extension_is_rejected_with_a_message_and_the_form_kept(client, pengawas, case):
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:evidence_add", args=[case.code]),
        {
            "kind": "foto",
            "description": "Foto kegiatan",
            "upload": SimpleUploadedFile(
                "foto.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
            ),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "tidak dikenali sebagai jenis yang diizinkan" in page and 'value="Foto kegiatan"' in page
    assert not Evidence.objects.exists()


def test_an_oversized_file_is_rejected(client, pengawas, case, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    client.force_login(pengawas)
    response = client.post(
        reverse("cases:evidence_add", args=[case.code]),
        {"kind": "foto", "upload": SimpleUploadedFile("besar.png", png_bytes())},
    )
    assert "terlalu besar" in response.content.decode()


def test_the_same_file_is_stored_once_and_flagged_in_another_case(client, pengawas, offices, election, case):
    other = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus lain")
    content = png_bytes((1, 2, 3))
    first = evidence_services.evidence_add(
        case=case, actor=pengawas, kind="foto", upload=SimpleUploadedFile("a.png", content)
    )
    second = evidence_services.evidence_add(
        case=other, actor=pengawas, kind="foto", upload=SimpleUploadedFile("b.png", content)
    )
    assert first.file.name == second.file.name
    client.force_login(pengawas)
    page = client.get(detail_url(other)).content.decode()
    assert "Kemungkinan duplikat" in page and detail_url(case) in page


def test_the_same_post_url_is_normalised_and_flagged(client, pengawas, offices, election, case):
    other = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title="Kasus lain")
    evidence_services.evidence_add(
        case=case, actor=pengawas, kind="tautan", url="https://m.facebook.com/paslon2/posts/123/?fbclid=abc"
    )
    link = evidence_services.evidence_add(
        case=other,
        actor=pengawas,
        kind="tautan",
        url="https://www.facebook.com/paslon2/posts/123",
        interactions=["suka"],
    )
    assert link.url_normalized == "https://facebook.com/paslon2/posts/123" and link.platform == "facebook"
    client.force_login(pengawas)
    assert "Kemungkinan duplikat" in client.get(detail_url(other)).content.decode()


def test_a_case_of_the_seed_story_reaches_a_decision(client, pengawas, koordinator, case, regions):
    """Two ASN and two honorer staff, likes and comments, a photo with the number gesture."""
    people = [
        ("Asn Satu", "pns", "198503122010011004"),
        ("Asn Dua", "pppk", "199001012019032001"),
        ("Honorer Satu", "honorer", ""),
        ("Honorer Dua", "honorer", ""),
    ]
    subjects = []
    for name, kind, nip in people:
        subjects.append(
            services.subject_add(
                case=case,
                actor=pengawas,
                person=Person.objects.create(name=name, employment_type=kind, nip=nip, region=regions.gunung_mas),
                violation_types=ViolationType.objects.filter(code__in=["MEDSOS-INTERAKSI", "FOTO-GESTUR"]),
            )
        )
    evidence_services.evidence_add(
        case=case,
        actor=pengawas,
        kind="foto",
        subject=subjects[0],
        gesture="dua jari",
        gesture_fingers=2,
        with_whom="tim kampanye paslon 2",
        upload=SimpleUploadedFile("gestur.png", png_bytes((9, 9, 9))),
    )
    case = services.case_transition(
        case=case, actor=koordinator, name="register", expected_version=None, at=datetime(2024, 10, 16, 10, tzinfo=WIB)
    )
    services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="terlapor",
        invitee_name="Asn Satu",
        scheduled_at=datetime(2024, 10, 17, 9, tzinfo=WIB),
        place="Kantor Bawaslu",
    )
    for subject in subjects:
        services.subject_update(
            subject=subject, actor=pengawas, violation_types=subject.violation_types.all(), outcome="terbukti"
        )
    client.force_login(koordinator)
    response = client.post(
        reverse("cases:transition", args=[case.code, "decide"]),
        {"version": Case.objects.get(pk=case.pk).version, "reason": "Terbukti."},
    )
    assert response.status_code == 302
    page = client.get(detail_url(case)).content.decode()
    assert "Diputus dalam pleno" in page and "Pelanggaran peraturan perundang-undangan lainnya" in page


def test_after_a_stale_refusal_the_differences_are_shown_and_the_next_save_succeeds(
    client, pengawas, koordinator, case
):
    opened = case.version
    services.case_update(case=case, actor=koordinator, expected_version=opened, place="Desa Sepang Simin")
    client.force_login(pengawas)
    data = {
        "version": opened,
        "title": "Judul dari pengawas",
        "chronology": case.chronology,
        "place": "",
        "known_on": "2024-10-14",
        "received_at": "2024-10-15T09:00",
        "pelapor-name": "Warga Pelapor",
        "pelapor-address": "Kuala Kurun",
        "pelapor-phone": "0812000000",
    }
    page = client.post(reverse("cases:edit", args=[case.code]), data).content.decode()
    assert "Tersimpan sekarang" in page and "Desa Sepang Simin" in page
    latest = Case.objects.get(pk=case.pk).version
    assert re.search(rf'name="version"[^>]*value="{latest}"', page)
    data.update(version=latest, place="Desa Sepang Simin")
    assert client.post(reverse("cases:edit", args=[case.code]), data).status_code == 302
    saved = Case.objects.get(pk=case.pk)
    assert (saved.title, saved.place) == ("Judul dari pengawas", "Desa Sepang Simin")


def test_a_decided_case_cannot_be_edited_or_given_evidence(client, pengawas, koordinator, offices, regions):
    from tests.factories import decided_case

    case = decided_case(offices, pengawas, koordinator, regions)
    client.force_login(pengawas)
    assert client.get(reverse("cases:edit", args=[case.code])).status_code == 302
    with pytest.raises(services.CaseError, match="tidak dapat diubah"):
        services.case_update(case=case, actor=pengawas, expected_version=None, title="Diubah setelah putus")
    with pytest.raises(services.CaseError, match="tidak dapat ditambahkan"):
        evidence_services.evidence_add(case=case, actor=pengawas, kind="tautan", url="https://facebook.com/x/1")


def test_the_same_file_or_link_twice_in_one_case_is_refused(pengawas, case):
    content = png_bytes((4, 5, 6))
    evidence_services.evidence_add(case=case, actor=pengawas, kind="foto", upload=SimpleUploadedFile("a.png", content))
    with pytest.raises(services.RejectedFile, match="sama persis"):
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="foto", upload=SimpleUploadedFile("b.png", content)
        )
    evidence_services.evidence_add(
        case=case, actor=pengawas, kind="tautan", url="https://m.facebook.com/p/posts/9?fbclid=1"
    )
    with pytest.raises(services.CaseError, match="sudah dicatat"):
        evidence_services.evidence_add(
            case=case, actor=pengawas, kind="tautan", url="https://www.facebook.com/p/posts/9"
        )


def test_a_nip_recorded_in_another_regency_is_refused_without_naming_anyone(
    client, outsider, pengawas, offices, regions, election
):
    person = PersonFactory(name="Nama Rahasia Gunung Mas", nip="199203152015032002", region=regions.gunung_mas)
    gm_case = make_case(office=offices.gunung_mas, actor=pengawas, election=election)
    services.subject_add(case=gm_case, actor=pengawas, person=person)
    pr_election = ElectionFactory(name="Pilkada Palangka Raya", region=regions.palangka_raya)
    own = make_case(office=offices.palangka_raya, actor=outsider, election=pr_election)
    client.force_login(outsider)
    response = client.post(
        reverse("cases:subject_add", args=[own.code]),
        {"orang-name": "Nama Diketik", "orang-employment_type": "pns", "orang-nip": "1992 0315 2015 03 2 002"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah tercatat oleh kantor Bawaslu lain" in page and "Nama Rahasia Gunung Mas" not in page
    assert 'value="Nama Diketik"' in page
    assert Person.objects.count() == 1 and not own.subjects.exists()
    # the search shows nothing of the other regency either
    results = client.get(
        reverse("cases:subject_add", args=[own.code]), {"q": "199203"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Nama Rahasia" not in results


def test_enter_in_the_search_box_cannot_pick_a_person(client, pengawas, case):
    client.force_login(pengawas)
    page = client.get(reverse("cases:subject_add", args=[case.code])).content.decode()
    form_start = page.index('<form method="post" novalidate>')
    first_button = page.index("<button", form_start)
    assert "disabled" in page[first_button : page.index(">", first_button)]


def test_meetings_are_checked_against_the_case_dates(pengawas, koordinator, case):
    case = services.case_transition(case=case, actor=koordinator, name="register", expected_version=None)
    with pytest.raises(services.CaseError, match="sebelum perkara diterima"):
        services.meeting_schedule(
            case=case,
            actor=pengawas,
            invitee_role="saksi",
            invitee_name="Saksi",
            scheduled_at=datetime(2024, 10, 1, 9, tzinfo=WIB),
            place="Kantor",
        )
    future = services.meeting_schedule(
        case=case,
        actor=pengawas,
        invitee_role="saksi",
        invitee_name="Saksi",
        scheduled_at=datetime(2030, 1, 1, 9, tzinfo=WIB),
        place="Kantor",
    )
    with pytest.raises(services.CaseError, match="masa depan"):
        services.meeting_record(meeting=future, actor=pengawas, status="dilaksanakan", minutes="Hadir")


def test_filed_in_time_is_computed_not_ticked(offices, pengawas, election):
    late = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        election=election,
        known_on=datetime(2024, 10, 1, tzinfo=WIB).date(),
        received_at=datetime(2024, 10, 15, 9, tzinfo=WIB),
    )
    assert late.req_within_time is False
    on_time = make_case(office=offices.gunung_mas, actor=pengawas, election=election)
    assert on_time.req_within_time is True


def test_reporter_phone_and_birth_date_are_checked(client, pengawas, election):
    client.force_login(pengawas)
    page = client.post(
        reverse("cases:create", kwargs={"source": "laporan"}),
        {
            "election": election.pk,
            "title": "Judul",
            "chronology": "Kronologi",
            "known_on": "2024-10-14",
            "pelapor-name": "Pelapor",
            "pelapor-address": "Tewah",
            "pelapor-phone": "abc",
            "pelapor-birth_date": "2099-01-01",
        },
    ).content.decode()
    assert "Nomor telepon hanya berisi angka" in page and "Tanggal lahir harus sebelum hari ini" in page
    assert "periksa yang ditandai merah" in page


def test_a_screenshot_needs_a_file(client, pengawas, case):
    client.force_login(pengawas)
    page = client.post(
        reverse("cases:evidence_add", args=[case.code]), {"kind": "screenshot", "url": "https://facebook.com/p/1"}
    ).content.decode()
    assert "unggah berkasnya" in page and not Evidence.objects.exists()


def test_a_person_page_costs_the_same_queries_for_1_or_4_cases(
    client, pengawas, offices, election, regions, django_assert_num_queries
):
    person = PersonFactory(region=regions.gunung_mas)

    def add(n):
        for i in range(n):
            case = make_case(office=offices.gunung_mas, actor=pengawas, election=election, title=f"Kasus {i}")
            services.subject_add(case=case, actor=pengawas, person=person)

    client.force_login(pengawas)
    url = reverse("cases:person", args=[person.code])
    add(1)
    # session, user, memberships, the person with agency and region, offices in scope, the person's cases with
    # election and office
    with django_assert_num_queries(6) as small:
        assert client.get(url).status_code == 200
    add(3)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Kasus ") >= 4


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, "all"),
        ({"halaman": "2"}, "all"),
        ({"q": "", "status": "", "due": ""}, "all"),
        ({"assignee": "me"}, "mine"),
        ({"due": "overdue", "q": ""}, "overdue"),
        ({"due": "soon"}, "soon"),
        ({"due": "overdue", "status": "closed"}, ""),
        ({"assignee": "me", "due": "soon"}, ""),
        ({"status": "received"}, ""),
    ],
)
def test_the_quick_list_shown_is_the_one_whose_filter_is_filled_in(query, shown):
    from django.http import QueryDict

    from cases.workflow.filters import CaseFilter
    from cases.workflow.views import quick_list

    params = QueryDict(mutable=True)
    params.update(query)
    assert quick_list(CaseFilter.base_filters, params) == shown


def test_agency_lists_name_the_regency_when_the_scope_spans_several(client, province_supervisor, pengawas, regions):
    from tests.factories import AgencyFactory

    AgencyFactory(regency=regions.gunung_mas, name="Dinas Kesehatan", short_name="Dinkes")
    AgencyFactory(regency=regions.palangka_raya, name="Dinas Kesehatan", short_name="Dinkes")
    client.force_login(province_supervisor)
    page = client.get(reverse("cases:list")).content.decode()
    assert "Dinkes — Kabupaten Gunung Mas" in page and "Dinkes — Kota Palangka Raya" in page
    client.force_login(pengawas)  # one regency: the name alone
    page = client.get(reverse("cases:list")).content.decode()
    assert ">Dinkes<" in page and "Dinkes — " not in page


def test_an_outcome_set_on_the_page_is_on_the_timeline(client, pengawas, koordinator, case, regions):
    from cases.models import CaseEvent

    services.case_transition(case=case, actor=koordinator, name="register", expected_version=None)
    subject = services.subject_add(case=case, actor=pengawas, person=PersonFactory(region=regions.gunung_mas))
    client.force_login(pengawas)
    url = reverse("cases:subject_edit", args=[case.code, subject.pk])
    response = client.post(url, {"outcome": "pidana", "note": "Membagikan uang kepada warga."})
    assert response.status_code == 302
    event = CaseEvent.objects.filter(case=case, action="subject.updated").get()
    assert event.data["outcome"] == "pidana"
