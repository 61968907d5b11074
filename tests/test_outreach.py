"""Outreach: sessions, recurring series with moved and cancelled occurrences, the .ics feed, tokens,
coverage, conflict warnings, outsiders."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from outreach import selectors, services
from outreach.models import CalendarToken, SessionStatus
from outreach.services import OutreachError
from tests.factories import AgencyFactory

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def agencies(regions):
    return [
        AgencyFactory(regency=regions.gunung_mas, name=n) for n in ("Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM")
    ]


def held_session(office, actor, agencies, when=datetime(2024, 9, 10, 9, tzinfo=WIB)):
    session = services.session_create(
        office=office,
        actor=actor,
        kind="sosialisasi",
        title="Sosialisasi netralitas ASN",
        start=when,
        end=when.replace(hour=12),
        venue="Aula Setda Gunung Mas",
        agencies=agencies,
    )
    return services.session_set_status(session=session, actor=actor, status=SessionStatus.HELD, minutes="Berjalan baik")


def test_a_session_with_three_agencies_is_held_with_attendance(offices, pengawas, agencies):
    session = held_session(offices.gunung_mas, pengawas, agencies)
    assert session.invitations.count() == 3
    services.attendance_record(session=session, actor=pengawas, agency=agencies[0], people_reached=40, asn_count=35)
    services.attendance_record(session=session, actor=pengawas, agency=agencies[1], people_reached=25, asn_count=20)
    with pytest.raises(OutreachError, match="melebihi"):
        services.attendance_record(session=session, actor=pengawas, agency=agencies[2], people_reached=5, asn_count=9)


def test_end_before_start_is_refused(offices, pengawas):
    start = datetime(2024, 9, 10, 9, tzinfo=WIB)
    with pytest.raises(OutreachError, match="sesudah waktu mulai"):
        services.session_create(
            office=offices.gunung_mas, actor=pengawas, kind="fgd", title="FGD", start=start, end=start
        )


def test_attendance_only_for_a_held_session_and_held_only_after_it_began(offices, pengawas, agencies):
    start = datetime(2030, 1, 7, 8, tzinfo=WIB)
    future = services.session_create(
        office=offices.gunung_mas, actor=pengawas, kind="apel", title="Apel", start=start, end=start.replace(hour=9)
    )
    with pytest.raises(OutreachError, match="sudah terlaksana"):
        services.attendance_record(session=future, actor=pengawas, agency=agencies[0], people_reached=10)
    with pytest.raises(OutreachError, match="belum dimulai"):
        services.session_set_status(session=future, actor=pengawas, status=SessionStatus.HELD)
    with pytest.raises(OutreachError, match="alasan"):
        services.session_set_status(session=future, actor=pengawas, status=SessionStatus.CANCELLED)


def test_outsiders_and_pemkab_cannot_schedule(offices, outsider, pemkab):
    start = datetime(2024, 9, 10, 9, tzinfo=WIB)
    for user in (outsider, pemkab):
        with pytest.raises(OutreachError, match="Peran Anda"):
            services.session_create(
                office=offices.gunung_mas, actor=user, kind="fgd", title="FGD", start=start, end=start.replace(hour=10)
            )


def monday_series(office, actor, agencies=()):
    return services.series_create(
        office=office,
        actor=actor,
        kind="apel",
        title="Pesan netralitas pada apel Senin",
        rule="FREQ=WEEKLY;BYDAY=MO",
        first_start=datetime(2024, 10, 7, 7, 30, tzinfo=WIB),
        duration_minutes=30,
        until=date(2024, 11, 27),
        venue="Halaman Kantor Bupati",
        agencies=agencies,
    )


def test_a_weekly_series_until_voting_day_with_a_moved_and_a_cancelled_monday(offices, pengawas, agencies):
    series = monday_series(offices.gunung_mas, pengawas, agencies[:1])
    sessions = list(series.sessions.order_by("start"))
    # Mondays from 7 Oct to 25 Nov 2024: 7, 14, 21, 28 Oct, 4, 11, 18, 25 Nov
    assert [s.start.date().day for s in sessions] == [7, 14, 21, 28, 4, 11, 18, 25]
    assert all(timezone_hour(s) == (7, 30) for s in sessions)
    moved = services.session_reschedule(
        session=sessions[2],
        actor=pengawas,
        start=datetime(2024, 10, 22, 7, 30, tzinfo=WIB),
        end=datetime(2024, 10, 22, 8, tzinfo=WIB),
    )
    services.session_set_status(session=sessions[5], actor=pengawas, status="batal", reason="Libur cuti bersama")
    assert moved.moved and moved.occurrence_start == datetime(2024, 10, 21, 7, 30, tzinfo=WIB)
    mondays = [
        s.start.date()
        for s in series.sessions.exclude(status=SessionStatus.CANCELLED).order_by("start")
        if s.start.weekday() == 0
    ]
    assert date(2024, 10, 21) not in mondays and date(2024, 11, 11) not in mondays and len(mondays) == 6
    assert series.sessions.count() == 8  # moving or cancelling one leaves the others as they were


def timezone_hour(session):
    local = session.start.astimezone(WIB)
    return local.hour, local.minute


def test_a_bad_rule_is_refused_with_a_message(offices, pengawas):
    with pytest.raises(OutreachError, match="tidak dikenali"):
        services.series_create(
            office=offices.gunung_mas,
            actor=pengawas,
            kind="apel",
            title="x",
            rule="FREQ=SOMETIMES",
            first_start=datetime(2024, 10, 7, 7, 30, tzinfo=WIB),
            duration_minutes=30,
            until=date(2024, 11, 27),
        )


def test_overlaps_at_the_same_venue_or_with_the_same_speaker_are_warned(offices, pengawas):
    start = datetime(2024, 9, 10, 9, tzinfo=WIB)
    services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="sosialisasi",
        title="Pertama",
        start=start,
        end=start.replace(hour=11),
        venue="Aula Setda",
        speakers="Rina Lestari\nMarkus Tingang",
    )
    conflicts = services.conflicts_for(
        office=offices.gunung_mas,
        start=start.replace(hour=10),
        end=start.replace(hour=12),
        venue="aula setda",
        speakers=["Markus Tingang"],
    )
    reasons = sorted(c.reason for c in conflicts)
    assert reasons == ["narasumber yang sama: markus tingang", "tempat yang sama: Aula Setda"]
    assert not services.conflicts_for(
        office=offices.gunung_mas,
        start=start.replace(hour=11),
        end=start.replace(hour=12),
        venue="Aula Setda",
        speakers=[],
    )


def test_the_feed_is_parsed_back_with_wib_times_and_a_cancelled_event(client, offices, pengawas, agencies):
    confirmed = services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="sosialisasi",
        title="Sosialisasi netralitas ASN",
        start=datetime(2030, 9, 10, 9, tzinfo=WIB),
        end=datetime(2030, 9, 10, 12, tzinfo=WIB),
        venue="Aula Setda Gunung Mas",
        agencies=agencies,
    )
    services.session_set_status(session=confirmed, actor=pengawas, status=SessionStatus.CONFIRMED)
    cancelled = services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="fgd",
        title="FGD batal",
        start=datetime(2030, 9, 12, 13, tzinfo=WIB),
        end=datetime(2030, 9, 12, 15, tzinfo=WIB),
    )
    services.session_set_status(session=cancelled, actor=pengawas, status="batal", reason="Narasumber berhalangan")
    services.series_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="apel",
        title="Apel Senin",
        rule="FREQ=WEEKLY;BYDAY=MO",
        first_start=datetime(2030, 9, 2, 7, 30, tzinfo=WIB),
        duration_minutes=30,
        until=date(2030, 9, 16),
    )
    token = services.token_create(actor=pengawas)
    response = client.get(reverse("outreach:feed", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    by_title = {str(e["summary"]): e for e in events}
    sosialisasi = by_title["Sosialisasi netralitas ASN"]
    start = sosialisasi.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (9, "Asia/Jakarta")
    assert str(sosialisasi["status"]) == "CONFIRMED" and "Dinas Pendidikan" in str(sosialisasi["description"])
    assert str(by_title["FGD batal"]["status"]) == "CANCELLED"
    mondays = [e for e in events if str(e["summary"]) == "Apel Senin"]
    assert len(mondays) == 3 and all("RECURRENCE-ID" in e for e in mondays)


def test_an_agency_token_shows_only_sessions_it_is_invited_to(client, offices, pengawas, agencies):
    services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="fgd",
        title="Tanpa Dinkes",
        start=datetime(2030, 9, 11, 9, tzinfo=WIB),
        end=datetime(2030, 9, 11, 10, tzinfo=WIB),
        agencies=agencies[:1],
    )
    services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="fgd",
        title="Dengan Dinkes",
        start=datetime(2030, 9, 12, 9, tzinfo=WIB),
        end=datetime(2030, 9, 12, 10, tzinfo=WIB),
        agencies=agencies[1:2],
    )
    token = services.token_create(actor=pengawas, agency=agencies[1])
    calendar = Calendar.from_ical(client.get(reverse("outreach:feed", args=[token])).content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Dengan Dinkes"]


def test_a_revoked_or_wrong_token_is_a_404(client, offices, pengawas, outsider):
    token = services.token_create(actor=pengawas)
    url = reverse("outreach:feed", args=[token])
    assert client.get(url).status_code == 200
    record = CalendarToken.objects.get()
    with pytest.raises(OutreachError):
        services.token_revoke(token=record, actor=outsider)
    services.token_revoke(token=record, actor=pengawas)
    assert client.get(url).status_code == 404
    assert client.get(reverse("outreach:feed", args=["tebakan"])).status_code == 404
    assert record.token_hash != token  # only the hash is stored


def test_the_feed_costs_the_same_queries_for_2_or_20_sessions(
    client, offices, pengawas, agencies, django_assert_num_queries
):
    token = services.token_create(actor=pengawas)

    def add(n):
        for i in range(n):
            start = datetime(2030, 9, 1 + i, 9, tzinfo=WIB)
            services.session_create(
                office=offices.gunung_mas,
                actor=pengawas,
                kind="fgd",
                title=f"FGD {i}",
                start=start,
                end=start.replace(hour=10),
                agencies=agencies,
            )

    add(2)
    with django_assert_num_queries(5) as small:
        client.get(reverse("outreach:feed", args=[token]))
    add(20)  # 22 sessions in the feed now
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("outreach:feed", args=[token]))


def test_coverage_per_agency(offices, pengawas, agencies, regions, django_assert_num_queries):
    first = held_session(offices.gunung_mas, pengawas, agencies)
    second = held_session(offices.gunung_mas, pengawas, agencies, when=datetime(2024, 9, 17, 9, tzinfo=WIB))
    services.attendance_record(session=first, actor=pengawas, agency=agencies[0], people_reached=40, asn_count=35)
    services.attendance_record(session=second, actor=pengawas, agency=agencies[0], people_reached=10, asn_count=10)
    services.attendance_record(session=second, actor=pengawas, agency=agencies[1], people_reached=7, asn_count=5)
    with django_assert_num_queries(1):
        rows = {a.name: a for a in selectors.coverage_by_agency([regions.gunung_mas])}
    assert (rows["Dinas Pendidikan"].sessions_held, rows["Dinas Pendidikan"].people_reached) == (2, 50)
    assert (rows["Dinas Kesehatan"].sessions_held, rows["Dinas Kesehatan"].asn_reached) == (1, 5)
    assert (rows["BKPSDM"].sessions_held, rows["BKPSDM"].people_reached) == (0, 0)


def test_outsider_sees_no_session_of_gunung_mas(offices, pengawas, outsider, agencies):
    held_session(offices.gunung_mas, pengawas, agencies)
    assert not selectors.sessions_visible_to(outsider).exists()


def test_calendar_token_command_prints_a_working_address(client, pengawas, agencies):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "calendar_token", "pengawas", "--agency", str(agencies[0].pk), "--base-url", "http://testserver", stdout=out
    )
    url = out.getvalue().strip()
    assert url.startswith("http://testserver/kalender/feed/") and url.endswith(".ics")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_a_held_session_with_attendance_is_in_the_subscribed_feed(client, offices, pengawas, agencies):
    from django.utils import timezone

    when = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - timezone.timedelta(days=30)
    session = held_session(offices.gunung_mas, pengawas, agencies, when=when)
    services.attendance_record(session=session, actor=pengawas, agency=agencies[0], people_reached=40, asn_count=35)
    token = services.token_create(actor=pengawas, agency=agencies[0])
    events = Calendar.from_ical(client.get(reverse("outreach:feed", args=[token])).content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Sosialisasi netralitas ASN"]
    assert str(events[0]["status"]) == "CONFIRMED"


# --- The history: every outreach service writes its audit row in its own transaction -------------------------


def test_every_outreach_change_writes_its_history_row(offices, pengawas, agencies, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.models import OutreachEvent

    settings.MEDIA_ROOT = tmp_path / "media"
    session = held_session(offices.gunung_mas, pengawas, agencies)
    services.session_reschedule(
        session=session,
        actor=pengawas,
        start=datetime(2024, 9, 10, 10, tzinfo=WIB),
        end=datetime(2024, 9, 10, 13, tzinfo=WIB),
    )
    services.attendance_record(session=session, actor=pengawas, agency=agencies[0], people_reached=40, asn_count=35)
    services.official_invite(session=session, actor=pengawas, agency=agencies[1], name="Kadis", email="KADIS@x.id ")
    services.material_add(
        session=session,
        actor=pengawas,
        upload=SimpleUploadedFile("materi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        kind="materi",
        title="Materi",
    )
    action = services.follow_up_add(
        session=session, actor=pengawas, description="Surat edaran", owner="Sekda", due_on=date(2024, 9, 20)
    )
    services.follow_up_done(action=action, actor=pengawas, done_on=date(2024, 9, 18))
    rows = list(OutreachEvent.objects.filter(session=session).values_list("action", "actor", flat=False))
    assert rows == [
        ("session.created", pengawas.pk),
        ("session.status", pengawas.pk),
        ("session.rescheduled", pengawas.pk),
        ("attendance.recorded", pengawas.pk),
        ("official.invited", pengawas.pk),
        ("material.added", pengawas.pk),
        ("follow_up.added", pengawas.pk),
        ("follow_up.done", pengawas.pk),
    ]
    status = OutreachEvent.objects.get(session=session, action="session.status")
    assert status.data == {"from_status": "rencana", "to_status": "terlaksana", "reason": "", "minutes": True}
    invited = OutreachEvent.objects.get(session=session, action="official.invited")
    assert invited.data == {"agency": agencies[1].name, "name": "Kadis", "email": "kadis@x.id"}


def test_a_refused_change_writes_no_history(offices, pengawas, agencies):
    from outreach.models import OutreachEvent

    start = datetime(2030, 1, 7, 8, tzinfo=WIB)
    session = services.session_create(
        office=offices.gunung_mas, actor=pengawas, kind="apel", title="Apel", start=start, end=start.replace(hour=9)
    )
    with pytest.raises(OutreachError):
        services.session_set_status(session=session, actor=pengawas, status=SessionStatus.HELD)
    assert list(OutreachEvent.objects.values_list("action", flat=True)) == ["session.created"]


def test_the_history_is_append_only(offices, pengawas, agencies):
    from django.db import IntegrityError, transaction

    from outreach.models import OutreachEvent

    held_session(offices.gunung_mas, pengawas, agencies)
    event = OutreachEvent.objects.first()
    with pytest.raises(IntegrityError, match="hanya boleh ditambah"), transaction.atomic():
        OutreachEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(IntegrityError, match="hanya boleh ditambah"), transaction.atomic():
        OutreachEvent.objects.filter(pk=event.pk).delete()
    assert OutreachEvent.objects.get(pk=event.pk).action == "session.created"


def test_a_series_writes_one_history_row_per_occurrence(offices, pengawas, agencies):
    from outreach.models import OutreachEvent

    series = monday_series(offices.gunung_mas, pengawas, agencies)
    count = series.sessions.count()
    rows = OutreachEvent.objects.filter(action="session.created", session__series=series)
    assert rows.count() == count > 1
    assert {row.data["series"] for row in rows} == {series.pk}


def test_feed_addresses_created_and_revoked_are_in_the_history(pengawas):
    from outreach.models import OutreachEvent

    services.token_create(actor=pengawas, label="Ponsel")
    token = CalendarToken.objects.get()
    services.token_revoke(token=token, actor=pengawas)
    with pytest.raises(OutreachError, match="sudah dicabut"):
        services.token_revoke(token=token, actor=pengawas)
    assert list(OutreachEvent.objects.values_list("action", "session", "data__token")) == [
        ("token.created", None, token.pk),
        ("token.revoked", None, token.pk),
    ]


# --- The services check their own input ------------------------------------------------------------------------


def test_sessions_refuse_an_unknown_kind_an_empty_title_and_negative_figures(offices, pengawas):
    start = datetime(2024, 9, 10, 9, tzinfo=WIB)
    base = {"office": offices.gunung_mas, "actor": pengawas, "start": start, "end": start.replace(hour=10)}
    with pytest.raises(OutreachError, match="jenis kegiatan"):
        services.session_create(**base, kind="pesta", title="FGD")
    with pytest.raises(OutreachError, match="Isi judul"):
        services.session_create(**base, kind="fgd", title="  ")
    with pytest.raises(OutreachError, match="kurang dari 0"):
        services.session_create(**base, kind="fgd", title="FGD", expected_participants=-1)
    with pytest.raises(TypeError):
        services.session_create(**base, kind="fgd", title="FGD", status=SessionStatus.HELD)


def test_agencies_of_another_regency_are_refused(offices, pengawas, agencies, regions):
    stranger = AgencyFactory(regency=regions.palangka_raya, name="Dinas Kota")
    start = datetime(2024, 9, 10, 9, tzinfo=WIB)
    with pytest.raises(OutreachError, match="bukan OPD di wilayah kantor ini"):
        services.session_create(
            office=offices.gunung_mas,
            actor=pengawas,
            kind="fgd",
            title="FGD",
            start=start,
            end=start.replace(hour=10),
            agencies=[agencies[0], stranger],
        )
    session = held_session(offices.gunung_mas, pengawas, agencies)
    with pytest.raises(OutreachError, match="bukan OPD di wilayah kantor ini"):
        services.attendance_record(session=session, actor=pengawas, agency=stranger, people_reached=3)
    with pytest.raises(OutreachError, match="kurang dari 0"):
        services.attendance_record(session=session, actor=pengawas, agency=agencies[0], people_reached=-3)


def test_a_series_refuses_a_duration_out_of_bounds_and_an_end_before_its_start(offices, pengawas):
    base = {
        "office": offices.gunung_mas,
        "actor": pengawas,
        "kind": "apel",
        "title": "Apel Senin",
        "rule": "FREQ=WEEKLY;BYDAY=MO",
        "first_start": datetime(2024, 9, 9, 7, 30, tzinfo=WIB),
    }
    with pytest.raises(OutreachError, match="antara 5 dan 600 menit"):
        services.series_create(**base, duration_minutes=601, until=date(2024, 11, 27))
    with pytest.raises(OutreachError, match="antara 5 dan 600 menit"):
        services.series_create(**base, duration_minutes=4, until=date(2024, 11, 27))
    with pytest.raises(OutreachError, match="Tanggal akhir harus sesudah mulai pertama"):
        services.series_create(**base, duration_minutes=30, until=date(2024, 9, 1))


def test_follow_ups_and_officials_are_checked(offices, pengawas, agencies):
    session = held_session(offices.gunung_mas, pengawas, agencies)
    with pytest.raises(OutreachError, match="sebelum kegiatan"):
        services.follow_up_add(session=session, actor=pengawas, description="X", owner="Y", due_on=date(2024, 9, 1))
    with pytest.raises(OutreachError, match="Isi tindak lanjut"):
        services.follow_up_add(session=session, actor=pengawas, description=" ", owner="Y", due_on=date(2024, 9, 20))
    action = services.follow_up_add(
        session=session, actor=pengawas, description="X", owner="Y", due_on=date(2024, 9, 20)
    )
    from django.utils import timezone

    with pytest.raises(OutreachError, match="tidak boleh di masa depan"):
        services.follow_up_done(
            action=action, actor=pengawas, done_on=timezone.localdate() + timezone.timedelta(days=1)
        )
    with pytest.raises(OutreachError, match="e-mail tidak valid"):
        services.official_invite(session=session, actor=pengawas, agency=agencies[0], name="Kadis", email="bukan-email")
    with pytest.raises(OutreachError, match="Pilih status"):
        services.session_set_status(session=session, actor=pengawas, status="selesai")
