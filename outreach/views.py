"""Outreach pages: the calendar (agenda, month, week), scheduling single sessions and weekly series, a
session's page (status, attendance, moving it), and the user's calendar feed addresses."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CALENDAR_READERS, ORGANISERS
from netralitas.accounts.scope import has_role
from netralitas.files import stored_file_response
from netralitas.forms import EARLIEST, LATEST
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
        if not conflicts or data["accept_conflicts"]:
            try:
                session = services.session_create(
                    office=office, actor=request.user, organiser=request.user, **form.service_fields()
                )
            except services.OutreachError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Kegiatan dijadwalkan."))
                return redirect("outreach:session", code=session.code)
    return render(request, "outreach/session_form.html", {"form": form, "conflicts": conflicts, "office": office})


@role_required(ORGANISERS)
def series_create(request):
    office = _own_office(request)
    form = SeriesForm(request.POST or None, agencies=selectors.agencies_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(office=office, actor=request.user, **form.service_fields())
        except services.OutreachError as error:
            form.add_error(None, str(error))
        else:
            count, first = selectors.series_summary(series)
            messages.success(request, _("Rangkaian dijadwalkan: %(n)d kegiatan.") % {"n": count})
            return redirect(f"{reverse('outreach:calendar')}?tampilan=bulan&tanggal={timezone.localdate(first)}")
    return render(request, "outreach/series_form.html", {"form": form, "office": office})


@role_required(CALENDAR_READERS)
def session_detail(request, code):
    session = selectors.session_detail(request.user, code)
    can_organise = _can_organise(request.user) and services.may_organise(request.user, session.office)
    agencies = selectors.agencies_visible_to(request.user)
    status_form = StatusForm(initial={"status": session.status, "minutes": session.minutes})
    attendance_form = AttendanceForm(agencies=agencies)
    reschedule_form = RescheduleForm(
        initial={"start": timezone.localtime(session.start), "end": timezone.localtime(session.end)}
    )
    # distinct element ids: the attendance and the official forms both have an "agency" field on this page
    official_form = OfficialForm(agencies=agencies, auto_id="id_pejabat_%s")
    material_form = MaterialForm(auto_id="id_materi_%s")
    follow_up_form = FollowUpForm(auto_id="id_tindak_lanjut_%s")
    if request.method == "POST" and can_organise:
        action = request.POST.get("aksi")
        try:
            if action == "status":
                status_form = StatusForm(request.POST)
                if status_form.is_valid():
                    services.session_set_status(session=session, actor=request.user, **status_form.cleaned_data)
                    messages.success(request, _("Status disimpan."))
                    return redirect("outreach:session", code=session.code)
            elif action == "hadir":
                attendance_form = AttendanceForm(request.POST, agencies=agencies)
                if attendance_form.is_valid():
                    services.attendance_record(session=session, actor=request.user, **attendance_form.cleaned_data)
                    messages.success(request, _("Kehadiran dicatat."))
                    return redirect("outreach:session", code=session.code)
            elif action == "pejabat":
                official_form = OfficialForm(request.POST, agencies=agencies, auto_id="id_pejabat_%s")
                if official_form.is_valid():
                    services.official_invite(session=session, actor=request.user, **official_form.cleaned_data)
                    messages.success(request, _("Pejabat diundang."))
                    return redirect("outreach:session", code=session.code)
            elif action == "materi":
                material_form = MaterialForm(request.POST, request.FILES, auto_id="id_materi_%s")
                if material_form.is_valid():
                    try:
                        services.material_add(session=session, actor=request.user, **material_form.cleaned_data)
                    except services.OutreachError as error:  # the file is refused: say so beside it
                        material_form.add_error("upload", str(error))
                    else:
                        messages.success(request, _("Berkas disimpan."))
                        return redirect("outreach:session", code=session.code)
            elif action == "tindak-lanjut":
                follow_up_form = FollowUpForm(request.POST, auto_id="id_tindak_lanjut_%s")
                if follow_up_form.is_valid():
                    services.follow_up_add(session=session, actor=request.user, **follow_up_form.cleaned_data)
                    messages.success(request, _("Tindak lanjut dicatat."))
                    return redirect("outreach:session", code=session.code)
            elif action == "selesai":
                item = selectors.follow_up_of(session, request.POST.get("id", "0"))
                services.follow_up_done(action=item, actor=request.user, done_on=timezone.localdate())
                return redirect("outreach:session", code=session.code)
            elif action == "pindah":
                reschedule_form = RescheduleForm(request.POST)
                if reschedule_form.is_valid():
                    services.session_reschedule(session=session, actor=request.user, **reschedule_form.cleaned_data)
                    messages.success(request, _("Jadwal dipindah."))
                    return redirect("outreach:session", code=session.code)
        except services.OutreachError as error:
            messages.error(request, str(error))
        except ValueError:
            raise Http404 from None
    attendance = list(session.attendance.all())
    return render(
        request,
        "outreach/session_detail.html",
        {
            "session": session,
            "can_organise": can_organise,
            "status_form": status_form,
            "attendance_form": attendance_form,
            "reschedule_form": reschedule_form,
            "official_form": official_form,
            "material_form": material_form,
            "follow_up_form": follow_up_form,
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
            try:
                services.token_revoke(token=token, actor=request.user)
            except services.OutreachError as error:
                messages.error(request, str(error))
                return redirect("outreach:feeds")
            messages.success(request, _("Alamat kalender dicabut: langganan lama berhenti diperbarui."))
            return redirect("outreach:feeds")
        agency = None
        if request.POST.get("opd"):
            if not _can_organise(request.user):
                raise Http404
            agency = selectors.agency_visible_to(request.user, request.POST["opd"])
        try:
            token = services.token_create(actor=request.user, agency=agency, label=request.POST.get("label", "")[:120])
        except services.OutreachError as error:
            messages.error(request, str(error))
            return redirect("outreach:feeds")
        request.session[NEW_FEED_SESSION_KEY] = request.build_absolute_uri(reverse("outreach:feed", args=[token]))
        return redirect("outreach:feeds")
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
