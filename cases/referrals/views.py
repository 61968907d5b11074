"""Referral pages: forward subjects of a decided case, the board by stage, one referral with its responses,
and the letters as sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import CRIME_STATUSES, CaseStatus, ReferralResponse, ReferralStatus
from cases.referrals import escalation, letters, succession
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.referrals.forms import (
    RESPONSE_FOR_STATUS,
    EscalationAnswerForm,
    EscalationForm,
    ReferralDraftForm,
    ReferralSendForm,
    ResponseForm,
    SuccessionForm,
)
from cases.workflow import selectors
from cases.workflow.deadlines import referral_clock
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, PLENARY, STAFF
from netralitas.accounts.scope import holds_role_for
from netralitas.files import stored_file_response
from netralitas.forms import act, submit
from netralitas.reference.models import EscalationRung

# The board's columns: (key, label, the stages it holds). An election crime's three stages at Sentra Gakkumdu
# share a column; each card says its stage.
BOARD_STAGES = [
    (ReferralStatus.DRAFT, gettext_lazy("Draf"), (ReferralStatus.DRAFT,)),
    (ReferralStatus.SENT, gettext_lazy("Menunggu rekomendasi"), (ReferralStatus.SENT,)),
    (ReferralStatus.AWAITING_PPK, gettext_lazy("Menunggu keputusan PPK"), (ReferralStatus.AWAITING_PPK,)),
    (ReferralStatus.SANCTIONED, gettext_lazy("Sanksi dijatuhkan"), (ReferralStatus.SANCTIONED,)),
    ("pidana", gettext_lazy("Tindak pidana (Gakkumdu)"), CRIME_STATUSES),
    (ReferralStatus.CLOSED, gettext_lazy("Selesai"), (ReferralStatus.CLOSED,)),
]


@role_required(CASE_WORKERS)
def referral_create(request, code):
    case = selectors.case_detail(request.user, code)
    if case.status not in (CaseStatus.DECIDED, CaseStatus.REFERRED):
        messages.error(request, _("Perkara ini belum diputus untuk diteruskan."))
        return redirect("cases:detail", code=case.code)
    plan = referral_selectors.forward_plan(case, request.GET.get("lembaga", ""))
    initial = {"institution": plan.proposed, "subjects": [s.pk for s in plan.proposed_subjects]}
    form = ReferralDraftForm(request.POST or None, case=case, initial=initial)
    saved = submit(
        request,
        form,
        lambda data: referrals.referral_draft(
            case=case,
            actor=request.user,
            subjects=list(data["subjects"]),
            institution=data["institution"],
            channel=data["channel"],
            note=data["note"],
        ),
        done=lambda created: (
            _("%(n)d draf penerusan disiapkan; kirim dengan nomor surat (koordinator).") % {"n": len(created)}
        ),
        to=lambda created: created[0],
    )
    routes = [
        {
            "subject": subject,
            "institution": body,
            "addressee": letters.addressee_of(body, subject.person) if body else "",
            "referred": sent,
        }
        for subject, body, sent in plan.rows
    ]
    return saved or render(
        request,
        "cases/referral_create.html",
        {"case": case, "form": form, "routes": routes, "chosen": plan.proposed},
    )


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
        whole=next((stages for key, _label, stages in BOARD_STAGES if key == request.GET.get("semua")), ()),
        limit=BOARD_COLUMN_LIMIT,
    )
    for items in board.rows.values():
        for referral in items:
            referral.clock = referral_clock(referral, today)
    columns = [
        (key, label, [r for s in stages for r in board.rows[s]], sum(board.totals[s] for s in stages))
        for key, label, stages in BOARD_STAGES
    ]
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


def _page(request, referral, *, send_form=None, response_form=None, escalation_form=None, answer_form=None, status=200):
    """The referral's page, with the forms the caller may use; a form sent back with its errors (``*_form``)
    takes the place of the empty one, everything typed kept."""
    referral.clock = referral_clock(referral)
    office = referral.case.office
    can_work = holds_role_for(request.user, office, CASE_WORKERS)
    can_sign = holds_role_for(request.user, office, PLENARY)
    if send_form is None and referral.status == ReferralStatus.DRAFT and can_sign:
        send_form = ReferralSendForm(
            initial={"version": referral.version, "letter_date": timezone.localdate(), "channel": referral.channel}
        )
    employment = referral.subject.person.employment_type
    response_forms = [
        (
            kind,
            ReferralResponse.Kind(kind).label,
            response_form
            if response_form is not None and response_form.prefix == kind
            else ResponseForm(kind=kind, prefix=kind, employment_type=employment),
        )
        for kind in (RESPONSE_FOR_STATUS.get(referral.status, []) if can_work else [])
    ]
    proposal = referral_selectors.escalation_proposal(referral)
    today = timezone.localdate()
    if proposal and can_sign and escalation_form is None:
        escalation_form = EscalationForm(initial={"rung": proposal.rung.pk, "letter_date": max(today, proposal.due)})
    escalations = [
        (
            e,
            answer_form
            if answer_form is not None and answer_form.prefix == str(e.code)
            else EscalationAnswerForm(escalation=e, prefix=str(e.code)),
        )
        for e in referral.escalations.all()
    ]
    return render(
        request,
        "cases/referral_detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "send_form": send_form,
            "response_forms": response_forms,
            "can_work": can_work,
            "proposal": proposal,
            "proposal_ready": proposal is not None and proposal.ready(today),
            "escalation_form": escalation_form if proposal and can_sign else None,
            "escalations": escalations,
        },
        status=status,
    )


@role_required(STAFF)
def referral_detail(request, code):
    return _page(request, referral_selectors.referral_detail(request.user, code))


@require_POST
@role_required(CASE_WORKERS)
def referral_send(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    form = ReferralSendForm(request.POST)
    saved = submit(
        request,
        form,
        lambda data: referrals.referral_send(
            referral=referral,
            actor=request.user,
            expected_version=data["version"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            channel=data["channel"],
        ),
        done=_("Penerusan dikirim; surat dan berkas perkara tersimpan sebagai PDF."),
        to=referral,
    )
    return saved or _page(request, referral, send_form=form, status=form.status)


@require_POST
@role_required(CASE_WORKERS)
def referral_respond(request, code, kind):
    referral = referral_selectors.referral_detail(request.user, code)
    if kind not in RESPONSE_FOR_STATUS.get(referral.status, []):
        messages.error(request, _("Tanggapan ini tidak sesuai dengan tahap penerusan sekarang."))
        return redirect("cases:referral", code=referral.code)
    employment = referral.subject.person.employment_type
    form = ResponseForm(request.POST, kind=kind, prefix=kind, employment_type=employment)
    saved = submit(
        request,
        form,
        lambda data: referrals.referral_respond(referral=referral, actor=request.user, kind=kind, **data),
        done=_("Tanggapan dicatat."),
        to=referral,
    )
    return saved or _page(request, referral, response_form=form, status=form.status)


@require_POST
@role_required(CASE_WORKERS)
def referral_escalate(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    form = EscalationForm(request.POST)
    saved = submit(
        request,
        form,
        lambda data: escalation.referral_escalate(
            referral=referral,
            actor=request.user,
            rung=get_object_or_404(EscalationRung, pk=data["rung"]),
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
        ),
        done=lambda e: _("%(rung)s dicatat; suratnya tersimpan sebagai PDF.") % {"rung": e.rung},
        to=referral,
    )
    return saved or _page(request, referral, escalation_form=form, status=form.status)


@require_POST
@role_required(CASE_WORKERS)
def escalation_answer(request, code, escalation_code):
    referral = referral_selectors.referral_detail(request.user, code)
    climbed = referral_selectors.escalation_of(referral, escalation_code)
    form = EscalationAnswerForm(request.POST, escalation=climbed, prefix=str(climbed.code))
    saved = submit(
        request,
        form,
        lambda data: escalation.escalation_record_answer(escalation=climbed, actor=request.user, **data),
        done=_("Dicatat."),
        to=referral,
    )
    return saved or _page(request, referral, answer_form=form, status=form.status)


@require_POST
@role_required(CASE_WORKERS)
def referral_withdraw(request, code):
    referral = referral_selectors.referral_detail(request.user, code)
    return act(
        request,
        lambda: referrals.referral_withdraw(
            referral=referral, actor=request.user, reason=request.POST.get("reason", "")
        ),
        done=_("Draf penerusan dibatalkan."),
        to=referral.case,
    )


@login_required
def succession_declare(request):
    """An operator declares that a body is replaced: a preview of what moves, then the confirmed step."""
    if not succession.may_declare(request.user):
        raise PermissionDenied
    form = SuccessionForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["confirm"]:
        preview = succession.succession_preview(form.cleaned_data["predecessor"], form.cleaned_data["successor"])
        form.data = form.data.copy()
        form.data["confirm"] = "1"
        return render(request, "cases/succession_form.html", {"form": form, "preview": preview})
    saved = submit(
        request,
        form,
        lambda data: succession.succession_declare(
            actor=request.user,
            predecessor=data["predecessor"],
            successor=data["successor"],
            effective_on=data["effective_on"],
            legal_basis=data["legal_basis"],
            clock=data["clock"],
        ),
        done=lambda s: _("Suksesi %(s)s dinyatakan: %(n)d penerusan dialihkan.") % {"s": s, "n": s.moved},
        to="cases:referral_board",
    )
    if saved is None and form.is_bound:  # refused: back to the first step, everything typed kept
        form.data = form.data.copy()
        form.data["confirm"] = ""
    return saved or render(request, "cases/succession_form.html", {"form": form, "preview": None}, status=form.status)


@role_required(STAFF)
def escalation_letter(request, code, escalation_code):
    referral = referral_selectors.referral_detail(request.user, code)
    climbed = referral_selectors.escalation_of(referral, escalation_code)
    if not climbed.letter_pdf:
        raise Http404
    name = f"{climbed.rung.code}-{climbed.letter_number.replace('/', '-')}.pdf"
    return stored_file_response(
        climbed.letter_pdf, filename=name, content_type="application/pdf", cache="private, no-cache"
    )


@role_required(STAFF)
def transfer_note(request, code):
    """The transfer note of a referral a succession moved, rendered from the rows that record it."""
    referral = referral_selectors.referral_detail(request.user, code)
    if referral.succession_id is None:
        raise Http404
    response = HttpResponse(letters.transfer_note(referral), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nota-pengalihan-{referral.code}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response


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
