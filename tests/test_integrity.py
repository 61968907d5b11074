"""Integrity of the record: the timeline (CaseEvent) and the institutions' responses (ReferralResponse) are
append-only in the database itself (django-pgtrigger); a case is never hard-deleted; evidence files
are checked against their SHA-256 by a periodic task that tells the office's administrators once per finding."""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models.deletion import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cases import tasks
from cases.evidence import services as evidence_services
from cases.evidence import verification
from cases.models import Case, CaseDeletionRefused, CaseEvent, Evidence, Integrity, ReferralResponse
from cases.referrals import services as referrals
from netralitas.notify.models import Channel, Notification
from tests.factories import decided_case, make_case
from tests.test_case_views import png_bytes

WIB = ZoneInfo("Asia/Jakarta")
REFUSED = "hanya boleh ditambah"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "netralitas.storage.FileSystemStorage"}}


@pytest.fixture
def case(offices, pengawas):
    return make_case(office=offices.gunung_mas, actor=pengawas)


# --- Append-only rows ------------------------------------------------------------------------------------


def refused():
    """The database refuses the statement; the savepoint keeps the test's transaction usable."""
    return pytest.raises(IntegrityError, match=REFUSED)


def test_events_can_be_added(case, pengawas):
    before = case.events.count()
    CaseEvent.objects.create(case=case, actor=pengawas, action="case.note", reason="Koreksi: tanggal salah ketik")
    assert case.events.count() == before + 1


def test_a_queryset_update_of_events_is_refused(case):
    with refused(), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(reason="diubah")
    assert not CaseEvent.objects.filter(reason="diubah").exists()


def test_a_queryset_delete_of_events_is_refused(case):
    count = case.events.count()
    with refused(), transaction.atomic():
        CaseEvent.objects.filter(case=case).delete()
    assert case.events.count() == count


def test_saving_a_changed_event_is_refused(case):
    event = case.events.get()
    event.reason = "ditulis ulang"
    with refused(), transaction.atomic():
        event.save()
    with refused(), transaction.atomic():
        event.delete()
    event.refresh_from_db()
    assert event.reason == ""


def test_raw_sql_cannot_change_or_delete_events(case):
    with connection.cursor() as cursor:
        with refused(), transaction.atomic():
            cursor.execute("UPDATE cases_caseevent SET action = 'x' WHERE case_id = %s", [case.pk])
        with refused(), transaction.atomic():
            cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])
    assert case.events.filter(action="case.created").count() == 1


def test_truncate_still_empties_the_table(case):
    """TRUNCATE fires no row trigger: the test suite's flush and a restore of the whole schema work."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred checks of this test's inserts
            cursor.execute("TRUNCATE cases_caseevent")
        assert not CaseEvent.objects.exists()
        transaction.set_rollback(True)
    assert CaseEvent.objects.exists()


def test_the_triggers_are_installed_on_every_audit_table_and_the_hand_written_ones_are_gone(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE '%%append_only%%'")
        installed = sorted(cursor.fetchall())
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'netralitas_append_only'")
        assert cursor.fetchone() == (0,)
    assert [table for table, _ in installed] == [
        "cases_caseevent",
        "cases_referralresponse",
        "cases_stepdocument",
        "outreach_outreachevent",
    ]
    assert all(name.startswith("pgtrigger_append_only_") for _, name in installed)


def test_referral_responses_are_append_only(offices, pengawas, koordinator, regions, institutions):
    decided = decided_case(offices, pengawas, koordinator, regions)
    [referral] = referrals.referral_draft(
        case=decided,
        actor=pengawas,
        subjects=list(decided.subjects.all()),
        institution=institutions.bkn,
        channel="surat",
    )
    response = ReferralResponse.objects.create(
        referral=referral, kind=ReferralResponse.Kind.NOTE, number="TT-1", date=date(2024, 10, 22), recorded_by=pengawas
    )
    with refused(), transaction.atomic():
        ReferralResponse.objects.filter(pk=response.pk).update(number="TT-2")
    with refused(), transaction.atomic():
        response.delete()
    response.refresh_from_db()
    assert response.number == "TT-1"


def test_a_case_is_never_hard_deleted(case):
    with pytest.raises(CaseDeletionRefused):
        case.delete()
    with pytest.raises(CaseDeletionRefused):
        Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(CaseDeletionRefused):
        Case.all_objects.all().delete()
    # below the ORM: the events hold the row (their DELETE is refused, and the foreign key refuses the case's)
    with connection.cursor() as cursor, pytest.raises(IntegrityError), transaction.atomic():
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM cases_reporter WHERE case_id = %s", [case.pk])
        cursor.execute("DELETE FROM cases_case WHERE id = %s", [case.pk])
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_user_who_acted_on_a_case_is_deactivated_not_deleted(case, pengawas):
    with pytest.raises(ProtectedError):
        pengawas.delete()


# --- The periodic check of evidence files ----------------------------------------------------------------


def add_file(case, actor, color):
    return evidence_services.evidence_add(
        case=case, actor=actor, kind="screenshot", upload=SimpleUploadedFile("bukti.png", png_bytes(color))
    )


def stored_path(settings, evidence) -> Path:
    return Path(settings.MEDIA_ROOT) / evidence.file.name


def later(days: int) -> datetime:
    return timezone.now() + timedelta(days=days)


def alerts():
    return Notification.objects.filter(template="evidence_integrity")


def test_intact_files_raise_no_alert(case, pengawas, office_admin):
    files = [add_file(case, pengawas, (i, 2, 3)) for i in range(3)]
    assert {e.integrity for e in files} == {Integrity.INTACT}  # hashed and stored at upload
    assert verification.verify_evidence_batch(now=later(1)).checked == 0  # checked again only after a week
    now = later(8)
    result = verification.verify_evidence_batch(now=now)
    assert (result.checked, result.intact, result.altered, result.missing) == (3, 3, [], [])
    assert not alerts().exists()
    assert not case.events.filter(action__startswith="evidence.integrity").exists()
    assert set(Evidence.objects.values_list("verified_at", flat=True)) == {now}


def test_an_altered_file_is_recorded_and_alerts_the_admins_once(settings, case, pengawas, koordinator, office_admin):
    intact = add_file(case, pengawas, (1, 1, 1))
    altered = add_file(case, pengawas, (2, 2, 2))
    path = stored_path(settings, altered)
    path.write_bytes(path.read_bytes() + b"diubah")

    result = verification.verify_evidence_batch(now=later(8))
    assert (result.intact, result.altered, result.missing) == (1, [altered.pk], [])
    altered.refresh_from_db()
    intact.refresh_from_db()
    assert altered.integrity == Integrity.ALTERED and len(altered.integrity_sha256) == 64
    assert altered.integrity_sha256 != altered.sha256
    assert intact.integrity == Integrity.INTACT
    [event] = case.events.filter(action="evidence.integrity_failed")
    assert event.actor is None and event.data["evidence"] == str(altered.code)
    assert event.data["found_sha256"] == altered.integrity_sha256
    # the office admin, in the inbox and by e-mail; nobody else
    assert sorted(alerts().values_list("recipient__username", "channel")) == [
        ("admin", Channel.EMAIL),
        ("admin", Channel.INBOX),
    ]
    inbox = alerts().get(channel=Channel.INBOX)
    assert inbox.url == reverse("cases:detail", args=[case.code]) + "#bukti"

    # the next runs (every night, a week later) find it still broken and say nothing more
    for days in (16, 24, 32):
        again = verification.verify_evidence_batch(now=later(days))
        assert again.still_broken == 1 and again.altered == []
    assert alerts().count() == 2
    assert case.events.filter(action="evidence.integrity_failed").count() == 1


def test_a_missing_file_is_found_and_a_restored_one_is_marked_intact(settings, case, pengawas, office_admin):
    evidence = add_file(case, pengawas, (3, 3, 3))
    path = stored_path(settings, evidence)
    original = path.read_bytes()
    path.unlink()
    assert verification.verify_evidence_batch(now=later(8)).missing == [evidence.pk]
    evidence.refresh_from_db()
    assert evidence.integrity == Integrity.MISSING
    assert alerts().filter(channel=Channel.INBOX).count() == 1

    path.write_bytes(original)  # put back from the backup
    result = verification.verify_evidence_batch(now=later(16))
    assert result.restored == [evidence.pk]
    evidence.refresh_from_db()
    assert evidence.integrity == Integrity.INTACT
    assert case.events.filter(action="evidence.integrity_restored").count() == 1

    path.write_bytes(b"rusak lagi")  # broken again later: a new finding, told again
    assert verification.verify_evidence_batch(now=later(24)).altered == [evidence.pk]
    assert alerts().filter(channel=Channel.INBOX).count() == 2


def test_the_finding_shows_on_the_case_page(client, settings, case, pengawas, office_admin):
    evidence = add_file(case, pengawas, (4, 4, 4))
    path = stored_path(settings, evidence)
    path.write_bytes(b"diganti")
    verification.verify_evidence_batch(now=later(8))
    client.force_login(pengawas)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Berkas tidak cocok dengan sidik SHA-256" in page
    assert Evidence.objects.get(pk=evidence.pk).integrity_sha256 in page
    client.force_login(office_admin)
    inbox = client.get(reverse("notify:inbox")).content.decode()
    assert "tidak cocok dengan sidik SHA-256" in inbox


def test_each_run_reads_a_bounded_slice_never_checked_first(case, pengawas):
    files = [add_file(case, pengawas, (i, 9, 9)) for i in range(5)]
    Evidence.objects.filter(pk__in=[files[3].pk, files[4].pk]).update(verified_at=None, integrity="")
    first = verification.verify_evidence_batch(now=later(8), limit=2)
    assert first.checked == 2
    assert set(Evidence.objects.filter(verified_at__gt=later(7)).values_list("pk", flat=True)) == {
        files[3].pk,
        files[4].pk,
    }
    assert verification.verify_evidence_batch(now=later(8), limit=2).checked == 2
    assert verification.verify_evidence_batch(now=later(8), limit=2).checked == 1
    assert verification.verify_evidence_batch(now=later(8), limit=2).checked == 0


def test_a_run_costs_the_same_queries_whatever_the_batch(settings, offices, pengawas, office_admin):
    def world(n_files, n_altered, n_missing):
        case = make_case(office=offices.gunung_mas, actor=pengawas)
        rows = [add_file(case, pengawas, (n_files, i, 7)) for i in range(n_files)]
        for evidence in rows[:n_altered]:
            stored_path(settings, evidence).write_bytes(b"diubah " + evidence.sha256.encode())
        for evidence in rows[n_altered : n_altered + n_missing]:
            stored_path(settings, evidence).unlink()
        return rows

    def run():
        with CaptureQueriesContext(connection) as queries:
            result = verification.verify_evidence_batch(now=later(8))
        return result, len(queries)

    world(3, 1, 1)  # each outcome present in both runs (an outcome with no row costs no query)
    small, small_queries = run()
    Evidence.objects.update(verified_at=later(8))  # the first world is done
    world(12, 4, 3)
    large, large_queries = run()
    assert (len(small.altered), len(small.missing)) == (1, 1)
    assert (large.checked, len(large.altered), len(large.missing)) == (12, 4, 3)
    assert small_queries == large_queries


def test_the_task_is_scheduled_and_runs(case, pengawas):
    add_file(case, pengawas, (5, 5, 5))
    Evidence.objects.update(verified_at=None)
    schedule = PeriodicTask.objects.get(task="cases.verify_evidence_files")
    assert schedule.enabled and schedule.interval.every == 15
    assert tasks.verify_evidence_files()["intact"] == 1
