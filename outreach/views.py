"""Outreach pages: the calendar (agenda, month, week), scheduling single sessions and weekly series, a
session's page (status, attendance, moving it), and the user's calendar feed addresses."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, datetime, time, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CALENDAR_READERS, ORGANISERS
from netralitas.accounts.scope import has_role
from netralitas.files import stored_file_response
from netralitas.forms import EARLIEST, LATEST, act, submit
from outreach import ics, selectors, services
from outreach.forms import (
    AttendanceForm,
    FollowUpForm,
    MaterialForm,
    OfficialForm,
    RescheduleForm,
    SeriesForm,
    SessionForm,
    StatusForm,
)
from outreach.models import SessionKind
from outreach.services import hash_token


def _can_organise(user) -> bool:
    return user.is_superuser or has_role(user, ORGANISERS)


def _day(value: str | None, default: date) -> date:
    """The day in the address, or ``default`` when there is none, it cannot be read, or it lies outside the
    years a calendar page can show (the page around 9999-12-31 would step past the last date)."""
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if EARLIEST <= day <= LATEST else default


@role_required(CALENDAR_READERS)
def calendar_view(request):
    """Agenda (default), month or week; filters by kind and agency in the query string."""
    view = request.GET.get("tampilan", "agenda")
    today = timezone.localdate()
    anchor = _day(request.GET.get("tanggal"), today)
    if view == "bulan":
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        last = first.replace(day=calendar_module.monthrange(first.year, first.month)[1])
        end = last + timedelta(days=7 - last.weekday())
        previous, following = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
    elif view == "minggu":
        start = anchor - timedelta(days=anchor.weekday())
        end = start + timedelta(days=7)
        previous, following = start - timedelta(days=7), end
    else:
        view = "agenda"
        start, end = anchor, anchor + timedelta(days=60)
        previous, following = anchor - timedelta(days=60), end
    tz = timezone.get_current_timezone()
    kind = request.GET.get("jenis", "")
    agency = request.GET.get("opd", "")
    sessions = selectors.calendar_sessions(request.user, kind=kind, agency_id=int(agency) if agency.isdigit() else None)
    rows = list(
        selectors.sessions_between(sessions, datetime.combine(start, time.min, tz), datetime.combine(end, time.min, tz))
    )
    days = []
    day = start
    while day < end:
        days.append((day, [s for s in rows if timezone.localdate(s.start) == day]))
        day += timedelta(days=1)
    query = request.GET.copy()
    query.pop("tanggal", None)
    return render(
        request,
        "outreach/calendar.html",
        {
            "view": view,
            "days": days,
            "sessions": rows,
            "anchor": anchor,
            "today": today,
            "previous": previous,
            "following": following,
            "query": query.urlencode(),
            "kinds": SessionKind.choices,
            "kind": kind,
            "agencies": selectors.agencies_visible_to(request.user),
            "agency": agency,
            "can_organise": _can_organise(request.user),
        },
    )


def _own_office(request):
    office = selectors.own_office(request.user)
    if office is None:
        raise Http404
    return office


@role_required(ORGANISERS)
def session_create(request):
    office = _own_office(request)
    form = SessionForm(request.POST or None, agencies=selectors.agencies_visible_to(request.user))
    conflicts = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conflicts = services.conflicts_for(
            office=office,
            start=data["start"],
            end=data["end"],
            venue=data["venue"],
            speakers=[s.strip() for s in data["speakers"].splitlines() if s.strip()],
        )
    saved = (not conflicts or form.cleaned_data["accept_conflicts"]) and submit(
        request,
        form,
        lambda data: services.session_create(
            office=office, actor=request.user, organiser=request.user, **form.service_fields()
        ),
        done=_("Kegiatan dijadwalkan."),
        to=lambda session: session,
    )
    return saved or render(
        request, "outreach/session_form.html", {"form": form, "conflicts": conflicts, "office": office}
    )


@role_required(ORGANISERS)
def series_create(request):
    office = _own_office(request)
    form = SeriesForm(request.POST or None, agencies=selectors.agencies_visible_to(request.user))

    def done(series):
        count, first = selectors.series_summary(series)
        series.month = f"{reverse('outreach:calendar')}?tampilan=bulan&tanggal={timezone.localdate(first)}"
        return _("Rangkaian dijadwalkan: %(n)d kegiatan.") % {"n": count}

    saved = submit(
        request,
        form,
        lambda data: services.series_create(office=office, actor=request.user, **form.service_fields()),
        done=done,
        to=lambda series: series.month,  # the month of its first session
    )
    return saved or render(request, "outreach/series_form.html", {"form": form, "office": office})


@role_required(CALENDAR_READERS)
def session_detail(request, code):
    """A session's page; an organiser's POST names its form in ``aksi`` and is saved by that form's service."""
    session = selectors.session_detail(request.user, code)
    can_organise = _can_organise(request.user) and services.may_organise(request.user, session.office)
    agencies = selectors.agencies_visible_to(request.user)
    action = request.POST.get("aksi") if request.method == "POST" and can_organise else None

    def form(name, form_class, **kwargs):
        return form_class(request.POST, request.FILES, **kwargs) if name == action else form_class(**kwargs)

    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    # distinct element ids: the attendance and the official forms both have an "agency" field on this page
    forms = {
        "status": (
            form("status", StatusForm, initial={"status": session.status, "minutes": session.minutes}),
            services.session_set_status,
            _("Status disimpan."),
        ),
        "hadir": (
            form("hadir", AttendanceForm, agencies=agencies),
            services.attendance_record,
            _("Kehadiran dicatat."),
        ),
        "pejabat": (
            form("pejabat", OfficialForm, agencies=agencies, auto_id="id_pejabat_%s"),
            services.official_invite,
            _("Pejabat diundang."),
        ),
        "materi": (form("materi", MaterialForm, auto_id="id_materi_%s"), services.material_add, _("Berkas disimpan.")),
        "tindak-lanjut": (
            form("tindak-lanjut", FollowUpForm, auto_id="id_tindak_lanjut_%s"),
            services.follow_up_add,
            _("Tindak lanjut dicatat."),
        ),
        "pindah": (
            form("pindah", RescheduleForm, initial={"start": start, "end": end}),
            services.session_reschedule,
            _("Jadwal dipindah."),
        ),
    }
    if action in forms:
        bound, write, done = forms[action]
        write_this = lambda data: write(session=session, actor=request.user, **data)  # noqa: E731
        if saved := submit(request, bound, write_this, done=done, to=session):
            return saved
    elif action == "selesai":
        item = selectors.follow_up_of(session, request.POST.get("id", "0"))
        return act(
            request,
            lambda: services.follow_up_done(action=item, actor=request.user, done_on=timezone.localdate()),
            done=_("Tindak lanjut ditandai selesai."),
            to=session,
        )
    attendance = list(session.attendance.all())
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "can_organise": can_organise,
            "status_form": forms["status"][0],
            "attendance_form": forms["hadir"][0],
            "reschedule_form": forms["pindah"][0],
            "official_form": forms["pejabat"][0],
            "material_form": forms["materi"][0],
            "follow_up_form": forms["tindak-lanjut"][0],
            "attendance": attendance,
            "history": selectors.session_history(session),
            "reached": sum(a.people_reached for a in attendance),
            "asn": sum(a.asn_count for a in attendance),
        },
    )


@role_required(CALENDAR_READERS)
def material_file(request, code, material_id):
    material = selectors.material_for(request.user, code, material_id)
    name = material.file.name.rsplit("/", 1)[-1]
    return stored_file_response(
        material.file, filename=name, content_type=material.mime_type, cache="private, no-cache"
    )


NEW_FEED_SESSION_KEY = "outreach_new_feed_url"


@require_http_methods(["GET", "POST"])
@role_required(CALENDAR_READERS)
def feed_addresses(request):
    """The user's own calendar feed addresses: create one (shown once) or revoke one. A created address is
    kept in the session for the page the browser is redirected to, and shown there once."""
    new_url = request.session.pop(NEW_FEED_SESSION_KEY, None)
    if request.method == "POST":
        if "cabut" in request.POST:
            pk = request.POST["cabut"] if request.POST["cabut"].isdigit() else 0
            token = selectors.revocable_token(request.user, pk, with_agencies=_can_organise(request.user))
            return act(
                request,
                lambda: services.token_revoke(token=token, actor=request.user),
                done=_("Alamat kalender dicabut: langganan lama berhenti diperbarui."),
                to="outreach:feeds",
            )
        agency = None
        if request.POST.get("opd"):
            if not _can_organise(request.user):
                raise Http404
            agency = selectors.agency_visible_to(request.user, request.POST["opd"])

        def done(token):
            request.session[NEW_FEED_SESSION_KEY] = request.build_absolute_uri(reverse("outreach:feed", args=[token]))
            return ""  # the page shows the new address once

        label = request.POST.get("label", "")[:120]
        write = lambda: services.token_create(actor=request.user, agency=agency, label=label)  # noqa: E731
        return act(request, write, done=done, to="outreach:feeds")
    tokens, agency_tokens = selectors.feed_tokens(request.user, with_agencies=_can_organise(request.user))
    return render(
        request,
        "outreach/feeds.html",
        {
            "tokens": tokens,
            "agency_tokens": agency_tokens,
            "new_url": new_url,
            "agencies": selectors.agencies_visible_to(request.user) if _can_organise(request.user) else [],
        },
    )


@never_cache
def calendar_feed(request, token):
    """The .ics feed behind a secret, revocable token (no login: calendar applications cannot sign in)."""
    record = selectors.active_token(hash_token(token))
    if record is None:
        raise Http404
    name = f"Sosialisasi Netralitas — {record.agency or record.user.display_name}"
    body = ics.feed(selectors.feed_sessions(record), name=name, domain=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="netralitas.ics"'
    return response
