"""Demo outreach for Gunung Mas: a session with three agencies, held with attendance, and the weekly Monday
ceremony message until voting day, with one Monday moved and one cancelled."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from netralitas.accounts.models import User
from netralitas.demo import DemoReport
from netralitas.reference.models import Agency, Office
from outreach import services
from outreach.models import OutreachSession, Series, SessionStatus

WIB = ZoneInfo("Asia/Jakarta")
SESSION_TITLE = "Sosialisasi netralitas ASN untuk pimpinan OPD"
SERIES_TITLE = "Pesan netralitas ASN pada apel Senin"


def load(report: DemoReport) -> None:
    office = Office.objects.get(region__code="62.10")
    pengawas = User.objects.get(username="pengawas")
    agencies = list(Agency.objects.filter(regency=office.region, short_name__in=["Disdik", "Dinkes", "BKPSDM"]))
    label = "kegiatan sosialisasi demo"
    if OutreachSession.objects.filter(office=office, title=SESSION_TITLE).exists():
        report.count(label, "unchanged")
    else:
        session = services.session_create(
            office=office,
            actor=pengawas,
            kind="sosialisasi",
            title=SESSION_TITLE,
            topic="Larangan bagi ASN: menyukai, mengomentari dan membagikan unggahan calon; berfoto dengan gestur.",
            start=datetime(2024, 9, 10, 9, tzinfo=WIB),
            end=datetime(2024, 9, 10, 12, tzinfo=WIB),
            venue="Aula Sekretariat Daerah Gunung Mas",
            speakers="Rina Demo Lestari\nMarkus Demo Tingang",
            agencies=agencies,
            expected_participants=90,
            organiser=pengawas,
        )
        services.session_set_status(
            session=session,
            actor=pengawas,
            status=SessionStatus.HELD,
            minutes="Dihadiri pimpinan dan staf tiga OPD; materi SKB 2022 dibagikan.",
        )
        for agency, reached, asn in zip(agencies, (40, 25, 18), (35, 20, 18), strict=False):
            services.attendance_record(
                session=session, actor=pengawas, agency=agency, people_reached=reached, asn_count=asn
            )
        report.count(label, "created")
    if Series.objects.filter(office=office, title=SERIES_TITLE).exists():
        report.count(label, "unchanged")
        return
    series = services.series_create(
        office=office,
        actor=pengawas,
        kind="apel",
        title=SERIES_TITLE,
        rule="FREQ=WEEKLY;BYDAY=MO",
        first_start=datetime(2024, 10, 7, 7, 30, tzinfo=WIB),
        duration_minutes=30,
        until=date(2024, 11, 27),
        venue="Halaman Kantor Bupati Gunung Mas",
        agencies=agencies,
        topic="ASN dilarang menunjukkan keberpihakan kepada pasangan calon, termasuk di media sosial.",
    )
    mondays = list(series.sessions.order_by("start"))
    services.session_reschedule(
        session=mondays[2],
        actor=pengawas,
        start=datetime(2024, 10, 22, 7, 30, tzinfo=WIB),
        end=datetime(2024, 10, 22, 8, tzinfo=WIB),
    )
    services.session_set_status(
        session=mondays[5], actor=pengawas, status=SessionStatus.CANCELLED, reason="Apel ditiadakan (kegiatan HUT)"
    )
    report.count(label, "created")
