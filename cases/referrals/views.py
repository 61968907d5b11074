"""Referral pages: forward subjects of a decided case, the board by stage, one referral with its responses,
and the letters as sent."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import CaseStatus, ReferralResponse, ReferralStatus, SubjectOutcome
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.referrals.forms import RESPONSE_FOR_STATUS, ReferralDraftForm, ReferralSendForm, ResponseForm
from cases.referrals.letters import LetterUnavailable
from cases.workflow import selectors, services
from cases.workflow.deadlines import referral_clock
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, PLENARY, STAFF
from netralitas.accounts.scope import holds_role_for
from netralitas.files import stored_file_response

BOARD_STAGES = [
    (ReferralStatus.DRAFT, gettext_lazy("Draf")),
    (ReferralStatus.SENT, gettext_lazy("Menunggu rekomendasi")),
    (ReferralStatus.AWAITING_PPK, gettext_lazy("Menunggu keputusan PPK")),
    (ReferralStatus.SANCTIONED, gettext_lazy("Sanksi dijatuhkan")),
    (ReferralStatus.CLOSED, gettext_lazy("Selesai")),
]


@role_required(CASE_WORKERS)
def referral_create(request, code):
    case = selectors.case_detail(request.user, code)
    if case.status not in (CaseStatus.DECIDED, CaseStatus.REFERRED):
        messages.error(request, _("Perkara ini belum diputus untuk diteruskan."))
        return redirect("cases:detail", code=case.code)
    initial = {}
    proven = [s for s in case.subjects.all() if s.outcome == SubjectOutcome.PROVEN]
    if proven:
        suggestion = referrals.suggested_institution(proven[0], timezone.localdate())
        initial = {
            "institution": suggestion,
            "subjects": [s.pk for s in proven if s.person.employment_type == proven[0].person.employment_type],
        }
    form = ReferralDraftForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = referrals.referral_draft(
                case=case,
                actor=request.user,
                subjects=list(form.cleaned_data["subjects"]),
                institution=form.cleaned_data["institution"],
                channel=form.cleaned_data["channel"],
                note=form.cleaned_data["note"],
            )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(n)d draf penerusan disiapkan; koordinator mengirimnya.") % {"n": len(created)}
            )
            return redirect("cases:referral", code=created[0].code)
    return render(request, "cases/referral_create.html", {"case": case, "form": form})


BOARD_COLUMN_LIMIT = 20


@role_required(STAFF)
def referral_board(request):
    institution = request.GET.get("lembaga", "")
    overdue_only = request.GET.get("terlambat") == "1"
    today = timezone.localdate()
    # A column shows its first BOARD_COLUMN_LIMIT cards (the most overdue first): a province's board holds
    # thousands of open referrals, and a page of thousands of cards helps nobody. ?semua=<stage> shows one
    # column whole.
    board = referral_selectors.referral_board(
        request.user,
        today=today,
        institution=institution,
        overdue_only=overdue_only,
        whole=request.GET.get("semua", ""),
        limit=BOARD_COLUMN_LIMIT,
    )
    for items in board.rows.values():
        for referral in items:
            referral.clock = referral_clock(referral, today)
    columns = [(status, label, board.rows[status], board.totals[status]) for status, label in BOARD_STAGES]
    return render(
        request,
        "cases/referral_board.html",
        {
            "columns": columns,
            "institutions": board.institutions,
            "institution": institution,
            "overdue_only": overdue_only,
            "overdue_count": board.overdue,
        },
    )


@role_required(STAFF)
def referral_detail(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    referral.clock = referral_clock(referral)
    office = referral.case.office
    can_work = holds_role_for(request.user, office, CASE_WORKERS)
    can_send = holds_role_for(request.user, office, PLENARY)
    send_form = None
    if referral.status == ReferralStatus.DRAFT and can_send:
        send_form = ReferralSendForm(
            initial={"version": referral.version, "letter_date": timezone.localdate(), "channel": referral.channel}
        )
    response_forms = []
    if can_work:
        for kind in RESPONSE_FOR_STATUS.get(referral.status, []):
            response_forms.append((kind, ReferralResponse.Kind(kind).label, ResponseForm(kind=kind, prefix=kind)))
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "send_form": send_form,
            "response_forms": response_forms,
            "can_work": can_work,
            "can_transfer": can_send
            and referral.status in (ReferralStatus.SENT, ReferralStatus.AWAITING_PPK)
            and referral.institution.successor_id is not None,
        },
    )


@require_POST
@role_required(CASE_WORKERS)
def referral_send(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    form = ReferralSendForm(request.POST)
    if form.is_valid():
        try:
            referrals.referral_send(
                referral=referral,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                letter_number=form.cleaned_data["letter_number"],
                letter_date=form.cleaned_data["letter_date"],
                channel=form.cleaned_data["channel"],
            )
        except (services.CaseError, LetterUnavailable) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Penerusan dikirim; surat dan berkas perkara tersimpan sebagai PDF."))
            return redirect("cases:referral", code=referral.code)
    referral.clock = referral_clock(referral)
    return render(
        request,
        "cases/referral_detail.html",
        {"referral": referral, "case": referral.case, "send_form": form, "response_forms": [], "can_work": True},
        status=200,
    )


@require_POST
@role_required(CASE_WORKERS)
def referral_respond(request, code, kind):
    referral = referral_selectors.referral_detail(request.user, code)
    if kind not in RESPONSE_FOR_STATUS.get(referral.status, []):
        messages.error(request, _("Tanggapan ini tidak sesuai dengan tahap penerusan sekarang."))
        return redirect("cases:referral", code=referral.code)
    form = ResponseForm(request.POST, kind=kind, prefix=kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == ReferralResponse.Kind.ACKNOWLEDGED:
                referrals.referral_acknowledge(
                    referral=referral, actor=request.user, acknowledged_on=data["date"], number=data["number"]
                )
            elif kind == ReferralResponse.Kind.RECOMMENDATION:
                referrals.referral_record_recommendation(
                    referral=referral,
                    actor=request.user,
                    number=data["number"],
                    date=data["date"],
                    proven=data["proven"],
                    sanction=data["sanction"],
                    note=data["note"],
                )
            elif kind == ReferralResponse.Kind.PPK_DECISION:
                referrals.referral_record_ppk_decision(
                    referral=referral,
                    actor=request.user,
                    number=data["number"],
                    date=data["date"],
                    sanction=data["sanction"],
                    refused=data["refused"],
                    note=data["note"],
                )
            else:
                referrals.referral_record_execution(
                    referral=referral, actor=request.user, date=data["date"], note=data["note"]
                )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tanggapan dicatat."))
            return redirect("cases:referral", code=referral.code)
    referral.clock = referral_clock(referral)
    forms = [
        (k, ReferralResponse.Kind(k).label, form if k == kind else ResponseForm(kind=k, prefix=k))
        for k in RESPONSE_FOR_STATUS.get(referral.status, [])
    ]
    return render(
        request,
        "cases/referral_detail.html",
        {"referral": referral, "case": referral.case, "send_form": None, "response_forms": forms, "can_work": True},
    )


@require_POST
@role_required(CASE_WORKERS)
def referral_transfer(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    try:
        moved = referrals.referral_transfer(referral=referral, actor=request.user)
    except services.CaseError as error:
        messages.error(request, str(error))
        return redirect("cases:referral", code=referral.code)
    messages.success(request, _("Penerusan dialihkan ke %(inst)s.") % {"inst": moved.institution})
    return redirect("cases:referral", code=moved.code)


@require_POST
@role_required(CASE_WORKERS)
def referral_withdraw(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    try:
        referrals.referral_withdraw(referral=referral, actor=request.user, reason=request.POST.get("reason", ""))
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Draf penerusan dibatalkan."))
    return redirect("cases:detail", code=referral.case.code)


@role_required(STAFF)
def referral_document(request, code, which):
    referral = referral_selectors.referral_detail(request.user, code)
    stored = {"surat": referral.letter_pdf, "berkas": referral.dossier_pdf}.get(which)
    if not stored:
        raise Http404
    name = (
        f"{'surat-penerusan' if which == 'surat' else 'berkas-perkara'}-{referral.letter_number.replace('/', '-')}.pdf"
    )
    return stored_file_response(stored, filename=name, content_type="application/pdf", cache="private, no-cache")
