"""Soft deletion of cases: only a coordinator or the office admin, with a reason that goes on the timeline;
the deleted case then disappears from every surface (lists, the page itself, figures, exports, reminders,
the public status page, person pages, duplicate flags) and can be restored from "Perkara terhapus"."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import reminders
from cases.api.export_jobs import referrals_for_export
from cases.api.selectors import ReferralFilters
from cases.evidence import services as evidence_services
from cases.models import Case, CaseEvent, PublicReport
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.workflow import selectors, services
from dashboard.selectors import Period, dashboard_figures
from tests.factories import ElectionFactory, PersonFactory, decided_case, make_case
from tests.test_case_views import png_bytes
from tests.test_public_reports import submit

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "netralitas.storage.FileSystemStorage"}}


@pytest.fixture
def case(offices, pengawas):
    return make_case(office=offices.gunung_mas, actor=pengawas, title="Perkara yang keliru dicatat")


@pytest.fixture
def kept(offices, pengawas):
    return make_case(office=offices.gunung_mas, actor=pengawas, title="Perkara yang tetap ada")


def delete(case, actor, reason="Tercatat dua kali (duplikat dari perkara lain)."):
    return services.case_delete(case=case, actor=actor, reason=reason)


# --- Who, with what, and the timeline ---------------------------------------------------------------------


def test_a_coordinator_deletes_with_a_reason_on_the_timeline(case, koordinator):
    delete(case, koordinator)
    row = Case.all_objects.get(pk=case.pk)
    assert row.is_deleted and row.deleted_by == koordinator
    event = CaseEvent.objects.filter(case=row).latest("pk")
    assert (event.action, event.actor, event.reason) == (
        "case.deleted",
        koordinator,
        "Tercatat dua kali (duplikat dari perkara lain).",
    )
    assert not Case.objects.filter(pk=case.pk).exists()
    # nothing of the case itself is gone
    assert row.events.count() == 2 and row.reporter.name == "Warga Pelapor"


def test_the_office_admin_may_delete_a_supervisor_may_not(case, office_admin, pengawas, offices):
    with pytest.raises(services.PermissionRefused):
        delete(case, pengawas)
    delete(case, office_admin)
    assert Case.all_objects.get(pk=case.pk).is_deleted


def test_a_reason_is_required(case, koordinator):
    with pytest.raises(services.CaseError, match="alasan"):
        delete(case, koordinator, reason="   ")
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_forwarded_case_cannot_be_deleted(offices, pengawas, koordinator, regions, institutions):
    decided = decided_case(offices, pengawas, koordinator, regions)
    [draft] = referrals.referral_draft(
        case=decided,
        actor=pengawas,
        subjects=list(decided.subjects.all()),
        institution=institutions.bkn,
        channel="surat",
    )
    with pytest.raises(services.TransitionNotAllowed, match="penerusan"):
        delete(decided, koordinator)
    # once the draft is withdrawn (never sent: no institution ever saw it), the case may go
    referrals.referral_withdraw(referral=draft, actor=koordinator, reason="Keliru")
    delete(decided, koordinator)
    # the board and the staff export no longer hold its withdrawn referral
    assert not referral_selectors.referrals_visible_to(koordinator).filter(case=decided).exists()
    assert not referrals_for_export(koordinator, ReferralFilters()).filter(case_id=decided.pk).exists()


def test_restore_brings_it_back_with_the_reason_on_the_timeline(client, case, koordinator):
    delete(case, koordinator)
    client.force_login(koordinator)
    page = client.get(reverse("cases:deleted_detail", args=[case.code]))
    assert page.status_code == 200 and "Tercatat dua kali" in page.content.decode()
    version = Case.all_objects.get(pk=case.pk).version
    refused = client.post(reverse("cases:deleted_detail", args=[case.code]), {"reason": "", "version": version})
    assert refused.status_code == 200 and "Isi alasan pemulihan" in refused.content.decode()
    response = client.post(
        reverse("cases:deleted_detail", args=[case.code]), {"reason": "Ternyata bukan duplikat.", "version": version}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.code])
    case.refresh_from_db()
    assert not case.is_deleted and case.deletion_reason == ""
    assert list(case.events.values_list("action", flat=True)) == ["case.created", "case.deleted", "case.restored"]
    assert client.get(reverse("cases:detail", args=[case.code])).status_code == 200


# --- The pages ----------------------------------------------------------------------------------------------


def test_the_confirmation_page_says_what_will_be_hidden_and_deletes(client, case, koordinator):
    client.force_login(koordinator)
    assert "Hapus perkara" in client.get(reverse("cases:detail", args=[case.code])).content.decode()
    page = client.get(reverse("cases:delete", args=[case.code]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "tidak lagi tampil" in body and "angka dasbor" in body and "pengingat tenggat" in body
    assert "halaman status laporan daring" in body
    missing = client.post(reverse("cases:delete", args=[case.code]), {"version": case.version, "reason": ""})
    assert missing.status_code == 200 and "Isi alasan penghapusan perkara." in missing.content.decode()
    done = client.post(reverse("cases:delete", args=[case.code]), {"version": case.version, "reason": "Data uji coba."})
    assert done.status_code == 302 and done["Location"] == reverse("cases:deleted_detail", args=[case.code])
    assert Case.all_objects.get(pk=case.pk).deletion_reason == "Data uji coba."


def test_the_delete_page_refuses_supervisors_and_outsiders(client, case, pengawas, outsider, pemkab):
    client.force_login(pengawas)
    assert client.get(reverse("cases:delete", args=[case.code])).status_code == 403
    assert client.get(reverse("cases:deleted_list")).status_code == 403
    assert "Hapus perkara" not in client.get(reverse("cases:detail", args=[case.code])).content.decode()
    client.force_login(pemkab)
    assert client.post(reverse("cases:delete", args=[case.code]), {"reason": "x", "version": 1}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()


def test_an_outside_coordinator_cannot_reach_the_case(client, case, offices, koordinator):
    from tests.factories import MembershipFactory, UserFactory

    other = MembershipFactory(
        user=UserFactory(username="koordinator2"), office=offices.palangka_raya, role="koordinator"
    ).user
    client.force_login(other)
    assert client.get(reverse("cases:delete", args=[case.code])).status_code == 404
    delete(case, koordinator)
    assert client.get(reverse("cases:deleted_detail", args=[case.code])).status_code == 404
    assert "Perkara yang keliru" not in client.get(reverse("cases:deleted_list")).content.decode()


def test_a_stale_version_is_refused(client, case, koordinator, pengawas):
    client.force_login(koordinator)
    version = case.version
    services.case_assign(case=case, actor=pengawas, assignee=pengawas, expected_version=None)
    response = client.post(reverse("cases:delete", args=[case.code]), {"version": version, "reason": "Duplikat."})
    assert response.status_code == 200 and "sudah diubah" in response.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()


# --- Every surface leaves it out ------------------------------------------------------------------------------


def test_gone_from_the_case_list_and_its_page_answers_404_to_everyone(
    client, case, kept, pengawas, koordinator, office_admin, province_supervisor, django_user_model
):
    delete(case, koordinator)
    superuser = django_user_model.objects.create_superuser("operator", "op@uji.test", "kata-sandi-uji-123")
    for user in (pengawas, koordinator, office_admin, province_supervisor, superuser):
        client.force_login(user)
        listing = client.get(reverse("cases:list")).content.decode()
        assert "Perkara yang tetap ada" in listing and "Perkara yang keliru dicatat" not in listing
        assert client.get(reverse("cases:detail", args=[case.code])).status_code == 404
        assert client.get(reverse("cases:edit", args=[case.code])).status_code in (403, 404)
    client.force_login(koordinator)
    deleted = client.get(reverse("cases:deleted_list")).content.decode()
    assert "Perkara yang keliru dicatat" in deleted and "Perkara yang tetap ada" not in deleted
    assert "Perkara terhapus" in client.get(reverse("cases:list")).content.decode()


def test_gone_from_the_dashboard_figures(case, kept, koordinator, pemkab):
    before = dashboard_figures(pemkab, Period())
    delete(case, koordinator)
    after = dashboard_figures(pemkab, Period())
    assert (before.total_cases, after.total_cases) == (2, 1)
    assert (before.open_cases, after.open_cases) == (2, 1)
    assert sum(r["cases"] for r in after.per_regency) == 1


def test_gone_from_the_reminder_sweep(offices, pengawas, koordinator):
    today = timezone.localdate()
    due = make_case(office=offices.gunung_mas, actor=pengawas, received_at=timezone.now() - timedelta(days=1))
    Case.objects.filter(pk=due.pk).update(review_due=today)
    now = timezone.localtime().replace(hour=9)
    assert reminders.case_deadline_messages(now)[0] == 1
    delete(due, koordinator)
    assert reminders.case_deadline_messages(now) == (0, [])


def test_gone_from_the_public_status_page(client, offices, regions, koordinator):
    ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=30))
    assert submit(client, offices).status_code == 302
    report = PublicReport.objects.get()
    status = reverse("cases:public_status", args=[report.tracking_code])
    assert client.get(status).status_code == 200
    delete(report.case, koordinator)
    assert client.get(status).status_code == 404
    lookup = client.get(reverse("cases:public_status_lookup"), {"kode": report.tracking_code})
    assert lookup.status_code == 404
    services.case_restore(case=report.case, actor=koordinator, reason="Keliru dihapus.", expected_version=None)
    assert client.get(status).status_code == 200


def test_a_new_report_of_the_same_post_is_not_linked_to_a_deleted_case(client, offices, regions, koordinator):
    ElectionFactory(region=regions.gunung_mas, voting_day=timezone.localdate() + timedelta(days=30))
    submit(client, offices)
    first = PublicReport.objects.get().case
    delete(first, koordinator)
    submit(client, offices, address="203.0.113.8")
    second = PublicReport.objects.latest("pk")
    assert not second.linked and second.case_id != first.pk


def test_gone_from_person_pages_and_searches(client, offices, regions, pengawas, koordinator):
    person = PersonFactory(name="Budi Santoso", region=regions.gunung_mas)
    first = make_case(office=offices.gunung_mas, actor=pengawas, title="Pertama")
    second = make_case(office=offices.gunung_mas, actor=pengawas, title="Kedua yang keliru")
    for c in (first, second):
        services.subject_add(case=c, actor=pengawas, person=person)
    assert selectors.person_search(pengawas, "Budi")[0].case_count == 2
    delete(second, koordinator)
    assert selectors.person_search(pengawas, "Budi")[0].case_count == 1
    client.force_login(pengawas)
    page = client.get(reverse("cases:person", args=[person.code])).content.decode()
    assert "Pertama" in page and "Kedua yang keliru" not in page
    detail = selectors.case_detail(pengawas, first.code)
    assert detail.subjects.all()[0].person_case_count == 1  # no longer a repeat offender


def test_its_evidence_is_neither_served_nor_flagged_as_a_duplicate(client, case, kept, pengawas, koordinator):
    upload = png_bytes((9, 8, 7))
    mine = evidence_services.evidence_add(
        case=case, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("a.png", upload)
    )
    theirs = evidence_services.evidence_add(
        case=kept, actor=pengawas, kind="screenshot", upload=SimpleUploadedFile("b.png", upload)
    )
    assert selectors.duplicates_of([theirs], pengawas)[theirs.pk] == [case]
    delete(case, koordinator)
    assert selectors.duplicates_of([theirs], pengawas)[theirs.pk] == []
    client.force_login(pengawas)
    assert client.get(reverse("cases:evidence_file", args=[case.code, mine.code])).status_code == 404
    served = client.get(reverse("cases:evidence_file", args=[kept.code, theirs.code]))
    assert served.status_code == 200
    served.close()


def test_the_api_never_loses_a_referral_to_a_deletion(offices, pengawas, koordinator, regions, institutions):
    """The API shows sent referrals only, and a case with a referral (sent, or a draft that could still be)
    cannot be deleted: an institution never sees a referral vanish. The API's own filter keeps a deleted
    case out all the same."""
    from cases.api.selectors import released
    from cases.models import Referral

    decided = decided_case(offices, pengawas, koordinator, regions)
    referrals.referral_draft(
        case=decided,
        actor=pengawas,
        subjects=list(decided.subjects.all()),
        institution=institutions.bkn,
        channel="surat",
    )
    with pytest.raises(services.TransitionNotAllowed):
        delete(decided, koordinator)
    Referral.objects.filter(case=decided).update(
        status="sent",
        sent_at=datetime(2024, 10, 21, 9, tzinfo=WIB),
        letter_number="1/PP",
        letter_date=date(2024, 10, 21),
    )
    Case.objects.filter(pk=decided.pk).update(status="referred")
    assert released(Referral.objects.all()).count() == 1
    Case.objects.filter(pk=decided.pk).update(deleted_at=timezone.now(), deletion_reason="(di luar aplikasi)")
    assert released(Referral.objects.all()).count() == 0
