"""Every form page against over-long text, malformed and absurd dates, and invalid NIPs. The fields are read
from each rendered page, so a field added later is tried too. The answer is always the page again with an
Indonesian message beside the field, what else was typed still in the form, and nothing saved; never a 500.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseEvent, ClarificationMeeting, Evidence, Person, PublicReport, ReferralResponse
from netralitas.forms import BoundedInputMixin
from outreach import services as outreach_services
from outreach.models import FollowUpAction, Invitation, OutreachSession
from tests.api_world import sent_referrals
from tests.factories import ALL_REQUIREMENTS, ElectionFactory, make_case

WIB = ZoneInfo("Asia/Jakarta")
MEGABYTE = "a" * 1_000_000
TEXT_TYPES = {"text", "email", "url", "tel", "search", None}
ERROR_MARKS = ("invalid-feedback", "alert-danger")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class FormPage:
    url: str
    data: dict  # a valid submission
    saved: object  # () -> something that changes when the form is saved
    user: object = None
    skip: tuple[str, ...] = ()  # fields that are not typed text (e.g. a honeypot, a search box)
    shown_at: str = ""  # where the form is shown, when not at its own address
    refused: int = 200  # the status of the page that shows the errors (the public form answers 400)


def _now():
    return timezone.localtime().replace(second=0, microsecond=0)


@pytest.fixture
def pages(db, offices, regions, pengawas, koordinator, institutions):
    today = timezone.localdate()
    election = ElectionFactory(region=regions.gunung_mas, voting_day=today + timedelta(days=30))
    received = make_case(
        office=offices.gunung_mas,
        actor=pengawas,
        election=election,
        known_on=today - timedelta(days=1),
        received_at=timezone.now() - timedelta(hours=3),
        **ALL_REQUIREMENTS,
    )
    from cases.workflow import services

    registered = services.case_transition(
        case=make_case(
            office=offices.gunung_mas,
            actor=pengawas,
            election=election,
            known_on=today - timedelta(days=1),
            received_at=timezone.now() - timedelta(hours=3),
            **ALL_REQUIREMENTS,
        ),
        actor=koordinator,
        name="register",
        expected_version=None,
    )
    [referral] = sent_referrals(offices, pengawas, koordinator, regions, institutions.bkn, n=1, start=50)
    session = outreach_services.session_create(
        office=offices.gunung_mas,
        actor=pengawas,
        kind="sosialisasi",
        title="Sosialisasi netralitas",
        start=datetime(2024, 9, 10, 9, tzinfo=WIB),
        end=datetime(2024, 9, 10, 12, tzinfo=WIB),
        venue="Aula Setda",
        agencies=[],
    )
    from tests.factories import AgencyFactory

    agency = AgencyFactory(regency=regions.gunung_mas, name="Dinas Uji Bentuk")
    reporter = {
        "pelapor-name": "Nama Pelapor Diketik",
        "pelapor-address": "Alamat pelapor diketik",
        "pelapor-phone": "0812 5555 1234",
        "pelapor-nationality": "Indonesia",
    }
    events = lambda: CaseEvent.objects.count()  # noqa: E731
    session_url = reverse("outreach:session", kwargs={"code": session.code})
    return {
        "case-create": FormPage(
            reverse("cases:create", kwargs={"source": "laporan"}),
            {
                "election": election.pk,
                "title": "Judul perkara diketik",
                "chronology": "Kronologi perkara diketik",
                "place": "Tempat diketik",
                "known_on": (today - timedelta(days=1)).isoformat(),
                "received_at": _now().strftime("%Y-%m-%dT%H:%M"),
                **reporter,
            },
            lambda: Case.objects.count(),
            pengawas,
        ),
        "case-edit": FormPage(
            reverse("cases:edit", kwargs={"code": received.code}),
            {
                "version": received.version,
                "title": "Judul perkara diubah",
                "chronology": "Kronologi perkara diubah",
                "place": "Tempat diubah",
                "known_on": (today - timedelta(days=1)).isoformat(),
                "received_at": timezone.localtime(received.received_at).strftime("%Y-%m-%dT%H:%M"),
                **reporter,
            },
            events,
            pengawas,
        ),
        "subject-add": FormPage(
            reverse("cases:subject_add", kwargs={"code": received.code}),
            {
                "orang-name": "Nama Terlapor Diketik",
                "orang-nip": "198503122010011004",
                "orang-employment_type": "pns",
                "orang-position": "Jabatan diketik",
                "jenis-note": "Catatan terlapor diketik",
            },
            lambda: Person.objects.count(),
            pengawas,
            skip=("q",),
        ),
        "evidence-add": FormPage(
            reverse("cases:evidence_add", kwargs={"code": received.code}),
            {
                "kind": "tautan",
                "url": "https://facebook.com/akun/posts/77",
                "description": "Keterangan bukti diketik",
                "account": "akun_diketik",
                "comment_text": "Komentar diketik",
            },
            lambda: Evidence.objects.count(),
            pengawas,
        ),
        "transition": FormPage(
            reverse("cases:transition", kwargs={"code": received.code, "name": "not_register"}),
            {"version": received.version, "reason": "Alasan tidak diregistrasi diketik"},
            events,
            koordinator,
        ),
        "extend": FormPage(
            reverse("cases:extend", kwargs={"code": registered.code}),
            {"version": registered.version, "reason": "Alasan perpanjangan diketik"},
            events,
            koordinator,
        ),
        "meeting-add": FormPage(
            reverse("cases:meeting_add", kwargs={"code": registered.code}),
            {
                "invitee_role": "saksi",
                "invitee_name": "Nama saksi diketik",
                "scheduled_at": (_now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
                "place": "Tempat klarifikasi diketik",
            },
            lambda: ClarificationMeeting.objects.count(),
            pengawas,
        ),
        "referral-respond": FormPage(
            reverse("cases:referral_respond", kwargs={"code": referral.code, "kind": "rekomendasi"}),
            {
                "rekomendasi-number": "R-1/BKN/2024",
                "rekomendasi-date": (today - timedelta(days=1)).isoformat(),
                "rekomendasi-proven": "1",
                "rekomendasi-sanction": "teguran_tertulis",
                "rekomendasi-note": "Keterangan tanggapan diketik",
            },
            lambda: ReferralResponse.objects.count(),
            pengawas,
            shown_at=reverse("cases:referral", kwargs={"code": referral.code}),
        ),
        "public-report": FormPage(
            reverse("cases:public_report"),
            {
                "office": offices.gunung_mas.pk,
                "title": "Judul laporan warga diketik",
                "chronology": "Kronologi laporan warga diketik",
                "place": "Tempat kejadian diketik",
                "occurred_on": (today - timedelta(days=2)).isoformat(),
                "known_on": (today - timedelta(days=1)).isoformat(),
                "reported_name": "Nama terlapor diketik",
                "witnesses": "Saksi diketik",
                "truthful": "on",
                **reporter,
            },
            lambda: PublicReport.objects.count(),
            skip=("website",),
            refused=400,
        ),
        "session-create": FormPage(
            reverse("outreach:create"),
            {
                "kind": "sosialisasi",
                "title": "Judul kegiatan diketik",
                "topic": "Pokok bahasan diketik",
                "start": "2024-10-01T09:00",
                "end": "2024-10-01T11:00",
                "venue": "Tempat kegiatan diketik",
                "speakers": "Narasumber diketik",
                "accept_conflicts": "on",
            },
            lambda: OutreachSession.objects.count(),
            pengawas,
        ),
        "series-create": FormPage(
            reverse("outreach:series_create"),
            {
                "kind": "apel",
                "title": "Judul apel diketik",
                "topic": "Pesan apel diketik",
                "weekday": "MO",
                "first_start": "2024-10-07T07:30",
                "duration_minutes": "30",
                "until": "2024-10-28",
                "venue": "Halaman kantor diketik",
            },
            lambda: OutreachSession.objects.count(),
            pengawas,
        ),
        "session-status": FormPage(
            session_url,
            {"aksi": "status", "status": "terlaksana", "reason": "", "minutes": "Notulen diketik"},
            lambda: OutreachSession.objects.filter(minutes="").count(),
            pengawas,
        ),
        "session-official": FormPage(
            session_url,
            {"aksi": "pejabat", "agency": agency.pk, "name": "Nama pejabat diketik", "email": "pejabat@uji.test"},
            lambda: Invitation.objects.count(),
            pengawas,
        ),
        "session-follow-up": FormPage(
            session_url,
            {
                "aksi": "tindak-lanjut",
                "description": "Tindak lanjut diketik",
                "owner": "Penanggung jawab diketik",
                "due_on": "2024-10-20",
            },
            lambda: FollowUpAction.objects.count(),
            pengawas,
        ),
        "session-reschedule": FormPage(
            session_url,
            {"aksi": "pindah", "start": "2024-09-11T09:00", "end": "2024-09-11T12:00"},
            lambda: OutreachSession.objects.filter(start__day=11).count(),
            pengawas,
        ),
    }


PAGES = [
    "case-create",
    "case-edit",
    "subject-add",
    "evidence-add",
    "transition",
    "extend",
    "meeting-add",
    "referral-respond",
    "public-report",
    "session-create",
    "series-create",
    "session-status",
    "session-official",
    "session-follow-up",
    "session-reschedule",
]


def _post(client, page: FormPage, data: dict):
    if page.user is not None:
        client.force_login(page.user)
    return client.post(page.url, data, REMOTE_ADDR="198.51.100.77")


def _fields(client, page: FormPage, types) -> list[str]:
    """The names of the page's inputs of the given types (and its textareas when text is asked for), limited
    to the form that posts ``page.data`` (the fields named in it, and their siblings)."""
    if page.user is not None:
        client.force_login(page.user)
    html = client.get(page.shown_at or page.url).content.decode()
    names = []
    for form in re.findall(r"<form\b.*?</form>", html, flags=re.S):
        if "aksi" in page.data and f'name="aksi" value="{page.data["aksi"]}"' not in form:
            continue
        if not any(f'name="{key}"' in form for key in page.data if key != "aksi"):
            continue
        for tag in re.findall(r"<input\b[^>]*>", form):
            kind = re.search(r'type="([^"]+)"', tag)
            name = re.search(r'name="([^"]+)"', tag)
            if name and (kind.group(1) if kind else None) in types:
                names.append(name.group(1))
        if None in types:
            names += re.findall(r'<textarea\b[^>]*name="([^"]+)"', form)
    return [n for n in dict.fromkeys(names) if n not in page.skip and n != "csrfmiddlewaretoken"]


def _kept(body: str, page: FormPage, changed: str) -> list[str]:
    """The typed values (of text, at least 8 characters) that are not on the page again."""
    return [
        value
        for name, value in page.data.items()
        if name != changed and isinstance(value, str) and len(value) >= 8 and " " in value and value not in body
    ]


@pytest.mark.parametrize("name", PAGES)
def test_the_valid_submission_of_each_page_is_saved(client, pages, name):
    """The table's data are right: without a hostile value each form saves (so a refusal below is the
    hostile value's doing)."""
    page = pages[name]
    before = page.saved()
    response = _post(client, page, page.data)
    assert response.status_code == 302, re.findall(r"invalid-feedback[^>]*>([^<]+)", response.content.decode())
    assert page.saved() != before


@pytest.mark.parametrize("name", PAGES)
def test_over_long_text_in_any_field_is_refused_with_the_form_kept(client, pages, name):
    page = pages[name]
    fields = _fields(client, page, TEXT_TYPES)
    if name != "session-reschedule":
        assert fields, "no text field found on the page"
    for field_name in fields:
        before = page.saved()
        response = _post(client, page, {**page.data, field_name: MEGABYTE})
        body = response.content.decode()
        assert response.status_code == page.refused, (field_name, response.status_code)
        assert any(mark in body for mark in ERROR_MARKS), f"{field_name}: no error shown"
        assert "karakter" in body or "tidak valid" in body or "bukan" in body or "NIP" in body, field_name
        assert page.saved() == before, f"{field_name}: saved"
        assert not _kept(body, page, field_name), f"{field_name}: lost {_kept(body, page, field_name)}"


BAD_DATES = ["2024-13-45", "31/02/2024", "2024-02-30", "99999-01-01", "0001-01-01", "9999-12-31", "x\x00y", "-1"]
BAD_DATETIMES = ["2024-13-45T10:00", "2024-02-30T25:61", "0001-01-01T00:00", "9999-12-31T23:59", "kemarin", "\x00"]


@pytest.mark.parametrize("name", PAGES)
def test_malformed_and_absurd_dates_are_refused_with_the_form_kept(client, pages, name):
    page = pages[name]
    dates = _fields(client, page, {"date"})
    moments = _fields(client, page, {"datetime-local"})
    if not dates and not moments:
        pytest.skip("no date on this form")
    for field_name, values in [(f, BAD_DATES) for f in dates] + [(f, BAD_DATETIMES) for f in moments]:
        for value in values:
            before = page.saved()
            response = _post(client, page, {**page.data, field_name: value})
            body = response.content.decode()
            assert response.status_code == page.refused, (field_name, value, response.status_code)
            assert any(mark in body for mark in ERROR_MARKS), (field_name, value)
            assert page.saved() == before, (field_name, value)
            assert not _kept(body, page, field_name), (field_name, value)


INVALID_NIPS = [
    ("too short", "12345"),
    ("letter", "19850312201001100X"),
    ("19 digits", "1985031220100110045"),
    ("month 13", "198513122010011004"),
    ("31 February", "198502312010011004"),
    ("appointed before birth", "198503121980011004"),
    ("sex digit 3", "198503122010013004"),
    ("superscript digit", "19850312\u00b2010011004"),
    ("arabic-indic digits", "".join(chr(0x0660 + int(d)) for d in "198503122010011004")),
    ("full-width digits", "".join(chr(0xFF10 + int(d)) for d in "198503122010011004")),
    ("markup", "<script>alert(1)</script>"),
    ("nul", "19850312201001100\x00"),
]


@pytest.mark.parametrize(("label", "nip"), INVALID_NIPS, ids=[n[0] for n in INVALID_NIPS])
def test_an_invalid_nip_gets_a_clear_message(client, pages, label, nip):
    page = pages["subject-add"]
    before = page.saved()
    response = _post(client, page, {**page.data, "orang-nip": nip})
    body = response.content.decode()
    assert response.status_code == page.refused
    assert "NIP" in re.sub(r"<[^>]+>", " ", body.split('id="id_orang-nip"', 1)[-1])[:2000] or "Karakter null" in body
    assert page.saved() == before
    assert "Nama Terlapor Diketik" in body
    assert "<script>alert(1)</script>" not in body


def _project_forms():
    for package in ("cases", "outreach", "netralitas"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if ".migrations" in info.name or info.name.endswith(("settings", "wsgi", "asgi", "celery")):
                continue
            importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in ("cases", "outreach", "netralitas") and ".admin" not in sub.__module__:
                seen.add(sub)
    return sorted(seen, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_form_of_the_project_bounds_its_text_and_dates():
    """A form added later gets the same limits: it derives from netralitas.forms (Form or ModelForm)."""
    found = _project_forms()
    assert len(found) >= 20
    unbounded = [f"{c.__module__}.{c.__qualname__}" for c in found if not issubclass(c, BoundedInputMixin)]
    assert unbounded == []
    for cls in found:
        if cls is BoundedInputMixin or not inspect.isclass(cls):
            continue
        for name, base_field in cls.base_fields.items():
            if isinstance(base_field, forms.CharField) and base_field.max_length is None:
                # filled in when the form is made; checked on an instance where one can be made without arguments
                try:
                    instance = cls()
                except TypeError:
                    break
                assert instance.fields[name].max_length, f"{cls.__qualname__}.{name}"


def test_limits_are_at_the_ends_of_the_range(client, pages):
    page = pages["session-follow-up"]
    for day, accepted in ((date(1899, 12, 31), False), (date(2100, 12, 31), True), (date(2101, 1, 1), False)):
        before = page.saved()
        response = _post(client, page, {**page.data, "due_on": day.isoformat()})
        assert (response.status_code == 302) is accepted, day
        assert (page.saved() != before) is accepted


def test_the_session_page_shows_each_form_with_its_own_element_ids(client, pages):
    """The session's forms are all on one page (their values and errors come back there): no id twice."""
    page = pages["session-official"]
    client.force_login(page.user)
    html = client.get(page.url).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    response = _post(client, page, {**page.data, "email": "bukan-email", "name": "Nama pejabat diketik"})
    assert "Alamat e-mail tidak valid." in response.content.decode()
    assert "Nama pejabat diketik" in response.content.decode()
