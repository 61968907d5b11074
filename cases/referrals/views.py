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

from cases.models import CRIME_STATUSES, CaseStatus, ReferralResponse, ReferralStatus
from cases.referrals import letters
from cases.referrals import selectors as referral_selectors
from cases.referrals import services as referrals
from cases.referrals.forms import RESPONSE_FOR_STATUS, ReferralDraftForm, ReferralSendForm, ResponseForm
from cases.workflow import selectors
from cases.workflow.deadlines import referral_clock
from netralitas.accounts.permissions import role_required
from netralitas.accounts.roles import CASE_WORKERS, PLENARY, STAFF
from netralitas.accounts.scope import holds_role_for
from netralitas.files import stored_file_response
from netralitas.forms import act, submit

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
    employment = referral.subject.person.employment_type
    if can_work:
        for kind in RESPONSE_FOR_STATUS.get(referral.status, []):
            response_forms.append(
                (
                    kind,
                    ReferralResponse.Kind(kind).label,
                    ResponseForm(kind=kind, prefix=kind, employment_type=employment),
                )
            )
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
    referral.clock = referral_clock(referral)
    return saved or render(
        request,
        "cases/referral_detail.html",
        {"referral": referral, "case": referral.case, "send_form": form, "response_forms": [], "can_work": True},
        status=form.status,
    )


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
    if saved:
        return saved
    referral.clock = referral_clock(referral)
    forms = [
        (
            k,
            ReferralResponse.Kind(k).label,
            form if k == kind else ResponseForm(kind=k, prefix=k, employment_type=employment),
        )
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
    return act(
        request,
        lambda: referrals.referral_transfer(referral=referral, actor=request.user),
        done=lambda moved: _("Penerusan dialihkan ke %(inst)s.") % {"inst": moved.institution},
        to=lambda moved: moved,
        back=referral,
    )


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
