"""Documents at every step: the signed minutes of the clarification and of the plenary on the case, the
recommendation letter, the PPK's decree, the proof of the sanction and Gakkumdu's documents on a referral; stored
and hashed like evidence, refused like evidence, never changed, shown on the step and in the dossier."""

import hashlib
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.evidence import services as evidence_services
from cases.models import StepDocument, SubjectOutcome
from cases.referrals import services as referrals
from cases.workflow.services import CaseError, PermissionRefused, RejectedFile
from tests.factories import decided_case, make_case

WIB = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(name="berita-acara.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def case(offices, pengawas, koordinator, regions):
    return decided_case(offices, pengawas, koordinator, regions)  # decided 18 Oct 2024, 15.00


def add(case, actor, **kw):
    values = {"case": case, "actor": actor, "kind": "ba_pleno", "dated": date(2024, 10, 18), "upload": pdf()}
    return evidence_services.document_add(**{**values, **kw})


def test_the_plenary_minutes_are_stored_hashed_and_on_the_timeline(case, pengawas):
    document = add(case, pengawas, number="BA-07/PL/2024")
    assert document.sha256 == hashlib.sha256(PDF).hexdigest() and document.size == len(PDF)
    assert (document.mime_type, document.original_name) == ("application/pdf", "berita-acara.pdf")
    event = case.events.get(action="document.added")
    assert event.data["sha256"] == document.sha256 and event.data["kind"] == "ba_pleno"
    assert event.occurred_at.astimezone(WIB).date() == date(2024, 10, 18) and event.entered_late
    # never changed or deleted, like the timeline
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        StepDocument.objects.filter(pk=document.pk).update(number="lain")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        StepDocument.objects.filter(pk=document.pk).delete()


def test_documents_are_refused_at_each_boundary(case, pengawas, outsider, offices):
    with pytest.raises(CaseError, match="sebelum rapat pleno"):
        add(case, pengawas, dated=date(2024, 10, 17))
    with pytest.raises(CaseError, match="masa depan"):
        add(case, pengawas, dated=date(2999, 1, 1))
    with pytest.raises(CaseError, match="jenis dokumen"):
        add(case, pengawas, kind="sk_ppk")  # a referral's document, not the case's
    with pytest.raises(RejectedFile, match="tidak dikenali sebagai jenis yang diizinkan"):
        add(case, pengawas, upload=SimpleUploadedFile("ba.pdf", b"<html><script>x</script></html>"))
    with pytest.raises(PermissionRefused):
        add(case, outsider)
    undecided = make_case(office=offices.gunung_mas, actor=pengawas)
    with pytest.raises(CaseError, match="setelah perkara diputus"):
        add(undecided, pengawas, dated=timezone.localdate())
    assert not StepDocument.objects.exists()


def test_a_referrals_documents_follow_its_route(offices, pengawas, koordinator, regions, institutions):
    people = (("Asn Satu", "pns", "198503122010011004"), ("Pelaku", "pns", "198803252012011007", SubjectOutcome.CRIME))
    case = decided_case(offices, pengawas, koordinator, regions, people=people)
    asn, crime = case.subjects.order_by("added_at")
    [to_bkn] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[asn], institution=institutions.bkn, channel="surat"
    )
    with pytest.raises(CaseError, match="setelah penerusannya dikirim"):
        add(case, pengawas, referral=to_bkn, kind="rekomendasi")
    sent = datetime(2024, 10, 21, 9, tzinfo=WIB)
    to_bkn = referrals.referral_send(
        referral=to_bkn, actor=koordinator, expected_version=None, letter_number="001/X/2024",
        letter_date=sent.date(), channel="surat", sent_at=sent, make_letters=False,
    )  # fmt: skip
    with pytest.raises(CaseError, match="sebelum tanggal surat penerusan"):
        add(case, pengawas, referral=to_bkn, kind="rekomendasi", dated=date(2024, 10, 20))
    with pytest.raises(CaseError, match="hanya untuk penerusan tindak pidana"):
        add(case, pengawas, referral=to_bkn, kind="dokumen_pidana", dated=date(2024, 11, 4))
    letter = add(case, pengawas, referral=to_bkn, kind="rekomendasi", number="R-1/BKN", dated=date(2024, 11, 4))
    assert list(to_bkn.documents.all()) == [letter]
    [to_gakkumdu] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=[crime], institution=institutions.gakkumdu, channel="surat"
    )
    to_gakkumdu = referrals.referral_send(
        referral=to_gakkumdu, actor=koordinator, expected_version=None, letter_number="002/X/2024",
        letter_date=sent.date(), channel="surat", sent_at=sent, make_letters=False,
    )  # fmt: skip
    with pytest.raises(CaseError, match="mencatat dokumen Gakkumdu"):
        add(case, pengawas, referral=to_gakkumdu, kind="sk_ppk", dated=date(2024, 11, 4))
    add(case, pengawas, referral=to_gakkumdu, kind="dokumen_pidana", number="SPDP/1", dated=date(2024, 10, 23))


def test_the_page_shows_the_documents_and_serves_them_in_scope_only(client, case, pengawas, outsider):
    client.force_login(pengawas)
    url = reverse("cases:document_add", args=[case.code])
    response = client.post(url, {"kind": "ba_pleno", "number": "BA-07", "dated": "2024-10-17", "upload": pdf()})
    assert (
        response.status_code == 200 and "Tanggal dokumen tidak boleh sebelum rapat pleno" in response.content.decode()
    )
    assert 'value="BA-07"' in response.content.decode()
    response = client.post(url, {"kind": "ba_pleno", "number": "BA-07", "dated": "2024-10-18", "upload": pdf()})
    assert response.status_code == 302
    document = StepDocument.objects.get()
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Berita acara rapat pleno" in page and document.sha256 in page and "Dokumen diunggah" in page
    served = client.get(reverse("cases:document_file", args=[document.code]))
    assert b"".join(served.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(reverse("cases:document_file", args=[document.code])).status_code == 404


def test_the_dossier_lists_the_minutes_with_their_hash(case, pengawas, koordinator, institutions):
    minutes = add(case, pengawas, number="BA-07/PL/2024")
    [referral] = referrals.referral_draft(
        case=case, actor=pengawas, subjects=list(case.subjects.all()), institution=institutions.bkn, channel="surat"
    )
    sent = datetime(2024, 10, 21, 9, tzinfo=WIB)
    referral = referrals.referral_send(
        referral=referral, actor=koordinator, expected_version=None, letter_number="001/X/2024",
        letter_date=sent.date(), channel="surat", sent_at=sent,
    )  # fmt: skip
    with referral.dossier_pdf.open("rb") as stored:
        text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(stored.read())).pages)
    words = " ".join(text.split())
    assert "Berita acara rapat pleno" in words and "BA-07/PL/2024" in words
    assert minutes.sha256[:20] in "".join(text.split())
