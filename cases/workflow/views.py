"""Case pages. Views read through selectors, write through services, and turn domain errors into form
errors so nothing typed is lost."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import CaseSource, CaseStatus, ReferralClosedAs, SubjectOutcome, case_outcome_of
from cases.workflow import selectors, services
from cases.workflow.deadlines import due_state, referral_clock
from cases.workflow.filters import CaseFilter
from cases.workflow.forms import (
    AssignForm,
    CaseForm,
    DeleteForm,
    ExtendForm,
    MeetingForm,
    MeetingRecordForm,
    NewSubjectTypesForm,
    PersonForm,
    ReporterForm,
    RestoreForm,
    SubjectForm,
    TransitionForm,
)
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, DELETERS, PLENARY, STAFF
from netralitas.accounts.scope import has_role, holds_role_for
from netralitas.accounts.selectors import elections_visible_to
from netralitas.forms import act, submit
from netralitas.reference.models import Region

PAGE_SIZE = 25


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


# how a referral ended that says something of the person (a withdrawn draft or a transfer does not)
FINAL_ANSWERS = (
    ReferralClosedAs.EXECUTED,
    ReferralClosedAs.NOT_PROVEN,
    ReferralClosedAs.REFUSED,
    ReferralClosedAs.CONVICTED,
    ReferralClosedAs.ACQUITTED,
    ReferralClosedAs.DISCONTINUED,
)


def _with_due(cases):
    for case in cases:
        case.due = due_state(case)
        # the most urgent referral clock ("BKN terlambat 3 hari") for cases already forwarded
        clocks = [referral_clock(r) for r in getattr(case, "waiting_referrals", [])]
        clocks = [c for c in clocks if c]
        case.referral_clock = max(clocks, key=lambda c: (c.overdue, c.label), default=None)
    return cases


# --- List ----------------------------------------------------------------------------------------------


QUICK_LISTS = {"mine": {"assignee": "me"}, "soon": {"due": "soon"}, "overdue": {"due": "overdue"}}


def quick_list(filters, params) -> str:
    """Which quick list (the links above the filter) the query string shows: "all" when no filter is filled in
    (an htmx filter sends its empty fields too; the page number is no filter), else the one whose filter is
    exactly the one filled in ("mine", "soon", "overdue"); "" for any other filter."""
    filled = {name: params.get(name) for name in filters if params.get(name)}
    if not filled:
        return "all"
    return next((name for name, wanted in QUICK_LISTS.items() if filled == wanted), "")


@role_required(STAFF)
def case_list(request):
    case_filter = CaseFilter(
        request.GET or None,
        queryset=selectors.case_list(request.user),
        user=request.user,
        elections=elections_visible_to(request.user),
        agencies=selectors.agencies_in_scope(request.user),
        districts=selectors.regions_in_scope(request.user, Region.Level.DISTRICT),
        staff=selectors.scope_staff(request.user),
    )
    queryset = case_filter.qs if case_filter.is_bound else case_filter.queryset
    paginator = Paginator(queryset, PAGE_SIZE)
    if not any(request.GET.get(name) for name in case_filter.filters):
        paginator.count = selectors.visible_case_count(request.user)  # the whole scope: counted the quick way
    page = paginator.get_page(request.GET.get("halaman"))
    _with_due(page.object_list)
    query = request.GET.copy()
    query.pop("halaman", None)
    context = {
        "filter": case_filter,
        "page": page,
        "query": query.urlencode(),
        # the intake's own rule (_intake_office): a supervisor or coordinator of some office
        "can_create": has_role(request.user, CASE_WORKERS),
        "can_see_deleted": request.user.is_superuser or has_role(request.user, DELETERS),
        "sources": CaseSource,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    context["quick"] = quick_list(case_filter.filters, request.GET)
    context["oob"] = partial  # the quick lists come with the results, replacing those above the filter
    template = "cases/_list_results.html" if partial else "cases/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Intake and edit -----------------------------------------------------------------------------------


def _intake_office(request):
    """The office a new case is recorded for: the user's own office (the first where they work cases)."""
    office = selectors.intake_office(request.user)
    if office is None:
        raise Http404
    return office


@role_required(CASE_WORKERS)
def case_create(request, source):
    if source not in CaseSource.values:
        raise Http404
    office = _intake_office(request)
    kwargs = {
        "source": source,
        "office": office,
        "elections": elections_visible_to(request.user).order_by("-voting_day"),
        "staff": selectors.office_staff(office),
    }
    form = CaseForm(request.POST or None, **kwargs)
    reporter_form = ReporterForm(request.POST or None, prefix="pelapor") if source == CaseSource.REPORT else None
    reporter = reporter_form.cleaned_data if reporter_form and reporter_form.is_valid() else None

    def done(case):
        if case.filed_late:
            due = formats.date_format(case.report_due, "DATE_FORMAT")
            messages.warning(request, _("Perhatian: diterima melewati batas lapor %(due)s.") % {"due": due})
        return _("Perkara dicatat. Tambahkan terlapor dan bukti.")

    saved = (reporter_form is None or reporter is not None) and submit(
        request,
        form,
        lambda data: services.case_create(
            office=office,
            election=data["election"],
            source=source,
            actor=request.user,
            intake=services.Intake(reporter=reporter, **form.service_fields()),
        ),
        done=done,
        to=lambda case: case,
    )
    return saved or render(
        request,
        "cases/case_form.html",
        {"form": form, "reporter_form": reporter_form, "source": source, "office": office, "case": None},
    )


@role_required(CASE_WORKERS)
def case_edit(request, code):
    case = selectors.case_detail(request.user, code)
    case_label = str(case)  # the form writes the typed values onto the instance while validating
    if not case.is_open:
        messages.error(request, _("Perkara yang sudah diputus atau selesai tidak dapat diubah lagi."))
        return redirect("cases:detail", code=case.code)
    form = CaseForm(
        request.POST or None,
        instance=case,
        source=case.source,
        office=case.office,
        elections=elections_visible_to(request.user),
        staff=selectors.office_staff(case.office),
    )
    reporter_form = None
    if case.source == CaseSource.REPORT:
        reporter_form = ReporterForm(request.POST or None, instance=case.reporter, prefix="pelapor")
    reporter = reporter_form.cleaned_data if reporter_form and reporter_form.is_valid() else None
    saved = (reporter_form is None or reporter is not None) and submit(
        request,
        form,
        lambda data: services.case_update(
            case=case, actor=request.user, expected_version=data["version"], reporter=reporter, **form.service_fields()
        ),
        done=_("Perubahan disimpan."),
        to=case,
    )
    stale = getattr(form, "refusal", None)
    return saved or render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "reporter_form": reporter_form,
            "source": case.source,
            "office": case.office,
            "case": case,
            "case_label": case_label,
            # beside a stale form: what differs from what is saved now (its next save is checked against that)
            "conflicts": _conflicts(form, stale.case) if isinstance(stale, services.StaleVersion) else [],
        },
    )


def _conflicts(form, latest):
    """Fields where what the user is about to save differs from what is saved now, with both values."""
    rows = []
    for name, value in form.service_fields().items():
        current = getattr(latest, name)
        if current != value:
            field = form.fields[name]
            rows.append((field.label, _display(current), _display(value)))
    return rows


def _display(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("ya")
    if value is False:
        return _("tidak")
    if hasattr(value, "strftime"):
        return formats.date_format(value, "DATETIME_FORMAT" if hasattr(value, "hour") else "DATE_FORMAT")
    return str(value)


# --- Detail --------------------------------------------------------------------------------------------


@role_required(STAFF)
def case_detail(request, code):
    case = selectors.case_detail(request.user, code)
    case.due = due_state(case)
    evidence = list(case.evidence.all())
    duplicates = selectors.duplicates_of(evidence, request.user)
    for item in evidence:
        item.duplicates = duplicates.get(item.pk, [])
    case_referrals = list(case.referrals.all())
    ended = {}  # each subject's last answer, beside the plenary's outcome ("Rekomendasi: tidak terbukti (BKN)")
    for referral in case_referrals:
        referral.clock = referral_clock(referral)
        if referral.closed_as in FINAL_ANSWERS:
            ended[referral.subject_id] = f"{referral.get_closed_as_display()} ({referral.institution})"
    for subject in case.subjects.all():
        subject.final = ended.get(subject.pk, "")
    context = {
        "case": case,
        # reports from the public page: one query, on laporan only
        "public_reports": list(case.public_reports.all()) if case.is_report else [],
        "referrals": case_referrals,
        "can_refer": case.status in (CaseStatus.DECIDED, CaseStatus.REFERRED)
        and case.outcome in services.FORWARDED_OUTCOMES
        and holds_role_for(request.user, case.office, CASE_WORKERS),
        "subjects": case.subjects.all(),
        "evidence": evidence,
        "meetings": case.meetings.all(),
        "events": case.events.all(),
        "transitions": services.transitions_for(case, request.user),
        "can_work": holds_role_for(request.user, case.office, CASE_WORKERS),
        "can_delete": holds_role_for(request.user, case.office, DELETERS),
        "can_extend": holds_role_for(request.user, case.office, PLENARY)
        and case.status in (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW)
        and not case.extended,
        "assign_form": AssignForm(
            initial={"version": case.version, "assignee": case.assignee}, staff=selectors.office_staff(case.office)
        ),
        "status_labels": dict(CaseStatus.choices),
    }
    return render(request, "cases/detail.html", context)


# --- Workflow ------------------------------------------------------------------------------------------


@role_required(CASE_WORKERS)
def case_transition(request, code, name):
    case = selectors.case_detail(request.user, code)
    transition = services.TRANSITIONS.get(name)
    if transition is None:
        raise Http404
    form = TransitionForm(request.POST or None, transition=transition, case=case, initial={"version": case.version})
    saved = submit(
        request,
        form,
        lambda data: services.case_transition(
            case=case,
            actor=request.user,
            name=name,
            expected_version=data["version"],
            reason=data.get("reason", ""),
            handed_over_to=data.get("handed_over_to"),
            at=data.get("at"),
        ),
        done=_("Langkah “%(step)s” tercatat.") % {"step": transition.label},
        to=case,
    )
    context = {"case": case, "form": form, "transition": transition}
    if name == "decide":  # what each person was found, and the result the case will take from them
        subjects = list(case.subjects.all())
        pending = any(s.outcome == SubjectOutcome.PENDING for s in subjects)
        context.update(subjects=subjects, pending=pending, outcome=case_outcome_of(s.outcome for s in subjects))
    return saved or render(request, "cases/transition.html", context)


@role_required(CASE_WORKERS)
def case_extend(request, code):
    case = selectors.case_detail(request.user, code)
    form = ExtendForm(request.POST or None, initial={"version": case.version})
    saved = submit(
        request,
        form,
        lambda data: services.case_extend(
            case=case, actor=request.user, expected_version=data["version"], reason=data["reason"]
        ),
        done=_("Batas putusan diperpanjang."),
        to=case,
    )
    return saved or render(request, "cases/extend.html", {"case": case, "form": form})


# --- Soft deletion -------------------------------------------------------------------------------------


@role_required(DELETERS)
def case_delete(request, code):
    """The confirmation page: what the deletion hides, and the reason (required)."""
    case = selectors.case_detail(request.user, code)
    if not holds_role_for(request.user, case.office, DELETERS):
        raise PermissionDenied
    form = DeleteForm(request.POST or None, initial={"version": case.version})
    refusal = services.deletion_refusal(case)
    saved = refusal is None and submit(
        request,
        form,
        lambda data: services.case_delete(
            case=case, actor=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        done=_("Perkara “%(case)s” dihapus. Koordinator dan admin masih dapat melihat dan memulihkannya di sini.")
        % {"case": case},
        to=reverse("cases:deleted_detail", kwargs={"code": case.code}),
    )
    counts = selectors.deletion_counts(case)
    return saved or render(
        request, "cases/delete.html", {"case": case, "form": form, "refusal": refusal, "counts": counts}
    )


@role_required(DELETERS)
def deleted_list(request):
    cases = Paginator(selectors.deleted_cases(request.user), PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "cases/deleted_list.html", {"page": cases})


@role_required(DELETERS)
def deleted_detail(request, code):
    case = selectors.deleted_case_detail(request.user, code)
    form = RestoreForm(request.POST or None, initial={"version": case.version})
    saved = submit(
        request,
        form,
        lambda data: services.case_restore(
            case=case, actor=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        done=_("Perkara dipulihkan dan kembali tampil di semua daftar."),
        to=case,
    )
    return saved or render(
        request,
        "cases/deleted_detail.html",
        {"case": case, "form": form, "events": case.events.all(), "subjects": case.subjects.all()},
    )


@require_POST
@role_required(CASE_WORKERS)
def case_assign(request, code):
    case = selectors.case_detail(request.user, code)
    form = AssignForm(request.POST, staff=selectors.office_staff(case.office))
    if form.is_valid():
        try:
            services.case_assign(
                case=case,
                actor=request.user,
                assignee=form.cleaned_data["assignee"],
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleVersion:
            messages.error(
                request,
                _(
                    "Penanggung jawab tidak disimpan: perkara baru saja diubah orang lain. Periksa halaman ini, lalu pilih lagi."
                ),
            )
        except services.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Penanggung jawab diperbarui."))
    else:
        messages.error(request, _("Pilih penanggung jawab dari daftar."))
    return redirect("cases:detail", code=case.code)


# --- Subjects ------------------------------------------------------------------------------------------


@role_required(CASE_WORKERS)
def subject_add(request, code):
    """Search people by name or NIP first; pick one, or create a new person with the form below."""
    case = selectors.case_detail(request.user, code)
    query = request.GET.get("q", "")
    results = selectors.person_search(request.user, query)
    regencies = selectors.regions_in_scope(request.user, Region.Level.REGENCY)
    person_form = PersonForm(
        request.POST or None,
        regencies=regencies,
        visible_people=selectors.people_visible_to(request.user),
        prefix="orang",
    )
    types_form = NewSubjectTypesForm(request.POST or None, prefix="jenis")
    if request.method == "POST":
        existing_code = request.POST.get("person")
        try:
            person = None
            if existing_code:
                person = selectors.person_detail(request.user, _uuid(existing_code))
                if not types_form.is_valid():
                    raise services.CaseError(_("Periksa jenis pelanggaran."))
                services.subject_add(
                    case=case,
                    actor=request.user,
                    person=person,
                    violation_types=types_form.cleaned_data["violation_types"],
                    note=types_form.cleaned_data["note"],
                )
            elif person_form.is_valid() and types_form.is_valid():
                subject = services.subject_add_new_person(
                    case=case,
                    actor=request.user,
                    person=services.NewPerson(**person_form.cleaned_data),
                    violation_types=types_form.cleaned_data["violation_types"],
                    note=types_form.cleaned_data["note"],
                )
                person = subject.person
            if person is not None:
                messages.success(request, _("%(name)s ditambahkan sebagai terlapor.") % {"name": person.name})
                return redirect("cases:detail", code=case.code)
        except services.CaseError as error:
            person_form.add_error(None, str(error))
    template = "cases/_person_results.html" if request.htmx else "cases/subject_add.html"
    response = render(
        request,
        template,
        {"case": case, "query": query, "results": results, "person_form": person_form, "types_form": types_form},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@role_required(CASE_WORKERS)
def subject_edit(request, code, subject_id):
    case = selectors.case_detail(request.user, code)
    subject = selectors.subject_of(case, subject_id)
    form = SubjectForm(request.POST or None, instance=subject)
    if request.method == "POST" and "hapus" in request.POST:
        write = lambda: services.subject_remove(subject=subject, actor=request.user)  # noqa: E731
        return act(request, write, done=_("Terlapor dihapus dari perkara."), to=case)
    saved = submit(
        request,
        form,
        lambda data: services.subject_update(
            subject=subject,
            actor=request.user,
            violation_types=data["violation_types"],
            outcome=data.get("outcome") or subject.outcome,
            note=data["note"],
        ),
        done=_("Data terlapor disimpan."),
        to=case,
    )
    return saved or render(request, "cases/subject_edit.html", {"case": case, "subject": subject, "form": form})


# --- Clarification -------------------------------------------------------------------------------------


@role_required(CASE_WORKERS)
def meeting_add(request, code):
    case = selectors.case_detail(request.user, code)
    form = MeetingForm(request.POST or None, case=case)
    saved = submit(
        request,
        form,
        lambda data: services.meeting_schedule(case=case, actor=request.user, **data),
        done=_("Klarifikasi dijadwalkan."),
        to=case.get_absolute_url() + "#klarifikasi",
    )
    return saved or render(request, "cases/meeting_form.html", {"case": case, "form": form})


@role_required(CASE_WORKERS)
def meeting_record(request, code, meeting_id):
    case = selectors.case_detail(request.user, code)
    meeting = selectors.meeting_of(case, meeting_id)
    form = MeetingRecordForm(request.POST or None, initial={"status": meeting.status, "minutes": meeting.minutes})
    saved = submit(
        request,
        form,
        lambda data: services.meeting_record(meeting=meeting, actor=request.user, **data),
        done=_("Hasil klarifikasi dicatat."),
        to=case.get_absolute_url() + "#klarifikasi",
    )
    return saved or render(request, "cases/meeting_record.html", {"case": case, "meeting": meeting, "form": form})


# --- People --------------------------------------------------------------------------------------------


@role_required(STAFF)
def person_detail(request, code):
    person = selectors.person_detail(request.user, code)
    cases = _with_due(selectors.cases_of_person(request.user, person))
    return render(request, "cases/person.html", {"person": person, "cases": cases})
