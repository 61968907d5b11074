"""Outreach pages: calendar views, scheduling with conflict warnings, a session's page, feed addresses."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from outreach import services
from outreach.models import Attendance, CalendarToken, OutreachSession
from tests.factories import AgencyFactory

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def agencies(regions):
    return [
        AgencyFactory(regency=regions.gunung_mas, name=n) for n in ("Dinas Pendidikan", "Dinas Kesehatan", "BKPSDM")
    ]


@pytest.fixture
def session(offices, pengawas, agencies):
    return services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="sosialisasi",
        title="Sosialisasi di Setda",
        start=datetime(2024, 9, 10, 9, tzinfo=WIB),
        end=datetime(2024, 9, 10, 12, tzinfo=WIB),
        venue="Aula Setda",
        agencies=agencies,
    )


@pytest.mark.parametrize("view", ["agenda", "bulan", "minggu"])
def test_calendar_views_show_the_session(client, pengawas, session, view, django_assert_max_num_queries):
    client.force_login(pengawas)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("outreach:calendar"), {"tampilan": view, "tanggal": "2024-09-10"}).content.decode()
    assert "Sosialisasi di Setda" in page


def test_calendar_filters_by_kind_and_agency(client, pengawas, session, agencies):
    client.force_login(pengawas)
    url = reverse("outreach:calendar")
    assert "Sosialisasi di Setda" not in client.get(url, {"tanggal": "2024-09-10", "jenis": "apel"}).content.decode()
    other = AgencyFactory(regency=agencies[0].regency, name="Dinas Lain")
    assert "Sosialisasi di Setda" not in client.get(url, {"tanggal": "2024-09-10", "opd": other.pk}).content.decode()
    assert "Sosialisasi di Setda" in client.get(url, {"tanggal": "2024-09-10", "opd": agencies[0].pk}).content.decode()


def test_pemkab_reads_the_calendar_but_cannot_schedule(client, pemkab, session):
    client.force_login(pemkab)
    page = client.get(reverse("outreach:calendar"), {"tanggal": "2024-09-10"}).content.decode()
    assert "Sosialisasi di Setda" in page and "Jadwalkan kegiatan" not in page
    assert client.get(reverse("outreach:create")).status_code == 403
    assert client.get(reverse("outreach:session", args=[session.code])).status_code == 200


def test_outsider_sees_nothing_of_gunung_mas(client, outsider, session):
    client.force_login(outsider)
    assert (
        "Sosialisasi di Setda"
        not in client.get(reverse("outreach:calendar"), {"tanggal": "2024-09-10"}).content.decode()
    )
    assert client.get(reverse("outreach:session", args=[session.code])).status_code == 404


def test_scheduling_warns_of_a_conflict_and_keeps_the_input(client, pengawas, session, agencies):
    client.force_login(pengawas)
    data = {
        "kind": "fgd",
        "title": "FGD bentrok",
        "start": "2024-09-10T10:00",
        "end": "2024-09-10T11:00",
        "venue": "aula setda",
        "agencies": [agencies[0].pk],
    }
    page = client.post(reverse("outreach:create"), data).content.decode()
    assert "bentrok dengan" in page and 'value="FGD bentrok"' in page
    assert not OutreachSession.objects.filter(title="FGD bentrok").exists()
    response = client.post(reverse("outreach:create"), {**data, "accept_conflicts": "on"})
    assert response.status_code == 302 and OutreachSession.objects.filter(title="FGD bentrok").exists()


def test_an_end_before_the_start_is_refused_and_kept(client, pengawas):
    client.force_login(pengawas)
    page = client.post(
        reverse("outreach:create"),
        {"kind": "fgd", "title": "Terbalik", "start": "2024-09-10T10:00", "end": "2024-09-10T09:00"},
    ).content.decode()
    assert "Waktu selesai harus sesudah waktu mulai" in page and 'value="Terbalik"' in page


def test_held_with_attendance_through_the_page(client, pengawas, session, agencies):
    client.force_login(pengawas)
    url = reverse("outreach:session", args=[session.code])
    client.post(url, {"aksi": "status", "status": "terlaksana", "minutes": "Dihadiri tiga OPD"})
    client.post(url, {"aksi": "hadir", "agency": agencies[0].pk, "people_reached": "40", "asn_count": "35"})
    attendance = Attendance.objects.get()
    assert (attendance.people_reached, attendance.asn_count) == (40, 35)
    assert "40" in client.get(url).content.decode()


def test_a_series_through_the_page(client, pengawas, agencies):
    client.force_login(pengawas)
    response = client.post(
        reverse("outreach:series_create"),
        {
            "kind": "apel",
            "title": "Apel Senin",
            "weekday": "MO",
            "first_start": "2024-10-07T07:30",
            "duration_minutes": "30",
            "until": "2024-11-27",
            "venue": "Halaman Kantor Bupati",
        },
    )
    assert response.status_code == 302
    assert OutreachSession.objects.filter(title="Apel Senin").count() == 8


def test_feed_addresses_are_shown_once_and_revocable(client, pengawas):
    client.force_login(pengawas)
    response = client.post(reverse("outreach:feeds"), {"label": "Kalender kantor"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(reverse("outreach:feeds"), 302)]
    assert "hanya ditampilkan sekali" in page and "/kalender/feed/" in page
    assert "/kalender/feed/" not in client.get(reverse("outreach:feeds")).content.decode()  # once
    token = CalendarToken.objects.get()
    client.post(reverse("outreach:feeds"), {"cabut": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_officials_materials_and_follow_ups(client, pengawas, session, agencies, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach.models import FollowUpAction, Invitation, Material
    from tests.test_case_views import png_bytes

    settings.MEDIA_ROOT = tmp_path
    client.force_login(pengawas)
    url = reverse("outreach:session", args=[session.code])
    client.post(
        url, {"aksi": "pejabat", "agency": agencies[2].pk, "name": "Kepala BKPSDM", "email": "Kepala@BKPSDM.go.id"}
    )
    assert Invitation.objects.get(official_email="kepala@bkpsdm.go.id").official_name == "Kepala BKPSDM"
    client.post(
        url, {"aksi": "materi", "kind": "foto", "title": "Foto", "upload": SimpleUploadedFile("f.png", png_bytes())}
    )
    material = Material.objects.get()
    served = client.get(reverse("outreach:material", args=[session.code, material.pk]))
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    refused = client.post(
        url, {"aksi": "materi", "kind": "materi", "upload": SimpleUploadedFile("x.pdf", b"<script>")}, follow=True
    )
    assert "tidak dikenali" in refused.content.decode() and Material.objects.count() == 1
    client.post(
        url, {"aksi": "tindak-lanjut", "description": "Surat edaran ke OPD", "owner": "Sekda", "due_on": "2024-09-20"}
    )
    action = FollowUpAction.objects.get()
    client.post(url, {"aksi": "selesai", "id": action.pk})
    action.refresh_from_db()
    assert action.done_on is not None


def test_an_agency_feed_address_from_the_page(client, pengawas, agencies):
    client.force_login(pengawas)
    page = client.post(reverse("outreach:feeds"), {"opd": agencies[0].pk}, follow=True).content.decode()
    assert "/kalender/feed/" in page
    assert CalendarToken.objects.get().agency == agencies[0]


def _count(client, url, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured.captured_queries)


def test_calendar_views_cost_the_same_queries_for_1_or_13_sessions(
    client, offices, pengawas, session, agencies, django_assert_num_queries
):
    client.force_login(pengawas)
    url = reverse("outreach:calendar")
    small = {
        view: _count(client, url, {"tampilan": view, "tanggal": "2024-09-10"}) for view in ("agenda", "bulan", "minggu")
    }
    # Twelve more in the days every view shows (the week of 9-15 September, from the 10th on).
    for day in range(10, 16):
        for hour in (13, 16):
            services.session_create(
                office=offices.gunung_mas,
                actor=pengawas,
                kind="sosialisasi",
                title=f"Sosialisasi {day}-{hour}",
                start=datetime(2024, 9, day, hour, tzinfo=WIB),
                end=datetime(2024, 9, day, hour + 2, tzinfo=WIB),
                venue=f"Aula {day}",
                agencies=agencies[: 1 + day % 3],
            )
    for view, queries in small.items():
        with django_assert_num_queries(queries):
            page = client.get(url, {"tampilan": view, "tanggal": "2024-09-10"}).content.decode()
        assert all(f"Sosialisasi {day}-16" in page for day in range(10, 16)) and queries <= 8


def test_a_session_page_costs_the_same_queries_for_3_or_9_agencies(
    client, offices, pengawas, regions, django_assert_num_queries
):
    def schedule(n, title):
        return services.session_create(
            office=offices.gunung_mas,
            actor=pengawas,
            kind="sosialisasi",
            title=title,
            start=datetime(2024, 9, 10, 9, tzinfo=WIB),
            end=datetime(2024, 9, 10, 12, tzinfo=WIB),
            venue="Aula Setda",
            agencies=[AgencyFactory(regency=regions.gunung_mas, name=f"{title} OPD {i}") for i in range(n)],
        )

    client.force_login(pengawas)
    small = _count(client, reverse("outreach:session", args=[schedule(3, "Kecil").code]))
    large = schedule(9, "Besar")
    with django_assert_num_queries(small):
        page = client.get(reverse("outreach:session", args=[large.code])).content.decode()
    assert "Besar OPD 8" in page


def test_the_session_page_shows_its_history_in_a_fixed_number_of_queries(
    client, pengawas, session, agencies, django_assert_num_queries
):
    client.force_login(pengawas)
    url = reverse("outreach:session", args=[session.code])
    with django_assert_num_queries(11) as first:  # (session, user, scope, prefetches, agencies, history)
        page = client.get(url).content.decode()
    assert 'id="riwayat"' in page and "Dijadwalkan" in page and pengawas.display_name in page
    for n in range(12):
        services.session_reschedule(
            session=session,
            actor=pengawas,
            start=datetime(2024, 9, 10, 9, n, tzinfo=WIB),
            end=datetime(2024, 9, 10, 12, tzinfo=WIB),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Jadwal dipindah") == 10  # the latest ten changes
