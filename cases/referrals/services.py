"""Referrals: every write that forwards a subject of a decided case and follows it to the sanction.

Stages: draft -> sent (awaiting the recommendation) -> awaiting_ppk (proven; the regent must act) ->
sanctioned (imposed; awaiting execution) -> closed. An election crime goes to Sentra Gakkumdu through its own
stages instead: draft -> gakkumdu (forwarded) -> penyidikan -> penuntutan -> closed by the court's verdict, or
stopped at any stage (``CRIME_STEPS``); it never waits for the PPK and never counts among the ASN sanctions. A referral to a body that ended is transferred to its
successor when the succession is declared (``cases.referrals.succession``). Responses are rows that are
never overwritten. Each change writes a ``CaseEvent`` on the case, so the referral's timeline is part of the
case's; when the last open referral of a case closes, the case closes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import (
    CRIME_STATUSES,
    FORWARDED_SUBJECT_OUTCOMES,
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseStatus,
    CaseSubject,
    Referral,
    ReferralResponse,
    ReferralStatus,
    Sanction,
    SubjectOutcome,
    lighter_than,
    sanctions_for,
)
from cases.referrals import letters, webhooks
from cases.referrals.conflicts import ppk_of, referral_conflict_refresh
from cases.workflow.services import (
    FORWARDED_OUTCOMES,
    CaseError,
    TransitionNotAllowed,
    case_transition,
    moment_of,
    record_event,
    require_role,
)
from netralitas.accounts.models import User
from netralitas.accounts.roles import CASE_WORKERS, PLENARY
from netralitas.notify.services import Message, queue
from netralitas.reference.calendar import WorkingCalendar
from netralitas.reference.models import Institution

NUMBER_MAX_LENGTH = 120  # a letter's or decree's number, as the forms and the API take it


class ReferralStale(CaseError):
    def __init__(self):
        super().__init__(
            _("Penerusan ini sudah diubah orang lain setelah Anda membukanya. Muat ulang halaman, lalu ulangi.")
        )


def _locked(referral: Referral, expected_version: int | None, actor: User | None, roles=CASE_WORKERS) -> Referral:
    """The referral, locked for this transaction, once ``actor`` is found to hold one of ``roles`` for its office
    (no actor: an institution's client, checked by the API) and the version is the one the change was made on."""
    # Lock order everywhere: the case, then the referral. Two people closing the last two referrals of a
    # case at once are serialised on the case row, so exactly one of them closes the case.
    Case.objects.select_for_update(of=("self",)).filter(pk=referral.case_id).first()
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__office__region", "case__election", "institution", "subject__person")
        .get(pk=referral.pk)
    )
    if actor is not None:
        require_role(actor, locked.case.office, roles)
    if expected_version is not None and locked.version != expected_version:
        raise ReferralStale()
    return locked


def _not_in_future(
    day: date, what: str, *, after: date | None = None, after_what: str = "", field: str | None = "date"
) -> None:
    """A step's date is when it happened: never later than today (the forms and the API say so too), and
    never before the step it answers (``after``: the letter, the recommendation). The refusal names the form's
    ``field``."""
    if day > timezone.localdate():
        raise CaseError(_("%(what)s tidak boleh di masa depan.") % {"what": what}, field=field)
    if after is not None and day < after:
        raise CaseError(
            _("%(what)s tidak boleh sebelum %(after)s (%(day)s).")
            % {"what": what, "after": after_what, "day": formats.date_format(after, "DATE_FORMAT")},
            field=field,
        )


def _check_response(*, number: str = "", sanction: str = "", note: str = "", referral: Referral | None = None) -> None:
    if len(number) > NUMBER_MAX_LENGTH:
        raise CaseError(_("Nomor surat paling banyak %(n)d karakter.") % {"n": NUMBER_MAX_LENGTH})
    if sanction and sanction not in Sanction.values:
        raise CaseError(_("Pilih sanksi dari daftar."))
    if sanction and referral is not None:
        employment = referral.subject.person.employment_type
        if sanction not in dict(sanctions_for(employment)):
            raise CaseError(
                _("Sanksi ini bukan sanksi untuk %(status)s: pilih dari daftar sanksinya.")
                % {"status": referral.subject.person.get_employment_type_display()}
            )


def _save(referral: Referral, fields: list[str]) -> None:
    referral.version += 1
    referral.save(update_fields=[*fields, "version", "updated_at"])


def _working_days_after(referral: Referral, start: date, days: int) -> date:
    return WorkingCalendar(referral.case.office.region).add_working_days(start, days)[0]


def ppk_followup_days(referral: Referral) -> int:
    """The regent's follow-up period: the PPK institution of the subject's regency, if it has one, else the
    ``PPK_FOLLOWUP_DAYS`` setting (the 10-day figure is uncertain, so it is data)."""
    ppk = ppk_of(referral)
    return ppk.response_days if ppk else settings.PPK_FOLLOWUP_DAYS


def _event_for(referral: Referral, actor: User | None, action: str, *, on: date | None = None, **data):
    """The referral's step on its case's timeline; ``on``: the day the response it records is dated."""
    if on is not None:
        data["occurred_at"] = moment_of(on, not_before=referral.sent_at)
    webhooks.referral_changed(referral=referral, action=action)
    return record_event(
        referral.case,
        actor,
        f"referral.{action}",
        referral=str(referral.code),
        person=referral.subject.person.name,
        institution=str(referral.institution),
        **data,
    )


def _opens_between(institution: Institution, first: date, last: date) -> bool:
    return institution.active_from is not None and first <= institution.active_from <= last


def check_route(subject: CaseSubject, institution: Institution) -> None:
    """The one rule of a route: an election crime goes to Sentra Gakkumdu, and only a crime goes there."""
    crime = subject.outcome == SubjectOutcome.CRIME
    if crime != (institution.kind == Institution.Kind.GAKKUMDU):
        message = (
            _("%(name)s diputus dugaan tindak pidana pemilihan: teruskan ke Sentra Gakkumdu.")
            if crime
            else _("Sentra Gakkumdu hanya menerima dugaan tindak pidana pemilihan; %(name)s diputus “%(outcome)s”.")
        )
        raise CaseError(message % {"name": subject.person.name, "outcome": subject.get_outcome_display()})


# --- Draft and send ------------------------------------------------------------------------------------


@transaction.atomic
def referral_draft(
    *,
    case: Case,
    actor: User,
    subjects: list[CaseSubject],
    institution: Institution,
    channel: str,
    note: str = "",
    on: date | None = None,
) -> list[Referral]:
    """Prepare one referral per subject (a supervisor may; only a coordinator sends). ``on`` is the day the
    referral is for (today, or a past day when an earlier case is recorded): the body must be active then."""
    case = Case.objects.select_for_update(of=("self",)).select_related("office__region").get(pk=case.pk)
    require_role(actor, case.office, CASE_WORKERS)
    if case.status not in (CaseStatus.DECIDED, CaseStatus.REFERRED) or case.outcome not in FORWARDED_OUTCOMES:
        raise CaseError(_("Hanya perkara yang diputus untuk diteruskan yang dapat diteruskan."))
    if not subjects:
        raise CaseError(_("Pilih sedikitnya satu terlapor."))
    if channel not in Referral.Channel.values:
        raise CaseError(_("Pilih saluran penerusan dari daftar."))
    if on is not None:
        _not_in_future(on, _("Tanggal penerusan"), field=None)
    # the letter is dated later, on or after the decision: the body must receive referrals on some day of that
    # span (KASN for a case decided before 24 Aug 2024, BKN after); ``send`` checks the letter's own date
    first, last = (on, on) if on else (timezone.localdate(case.decided_at), timezone.localdate())
    if not (
        institution.is_active_on(first) or institution.is_active_on(last) or _opens_between(institution, first, last)
    ):
        successor = institution.successor
        raise CaseError(
            _("%(inst)s tidak menerima penerusan pada tanggal itu.") % {"inst": institution}
            + (" " + _("Teruskan ke %(successor)s.") % {"successor": successor} if successor else "")
        )
    created = []
    for subject in subjects:
        if subject.case_id != case.pk:
            raise CaseError(_("Terlapor yang dipilih bukan terlapor perkara ini."))
        if subject.outcome not in FORWARDED_SUBJECT_OUTCOMES:
            raise CaseError(
                _("%(name)s diputus “%(outcome)s”: tidak diteruskan.")
                % {"name": subject.person.name, "outcome": subject.get_outcome_display()}
            )
        check_route(subject, institution)
        if Referral.objects.filter(
            subject=subject, institution=institution, status__in=OPEN_REFERRAL_STATUSES
        ).exists():
            raise CaseError(
                _("%(name)s sudah diteruskan ke %(inst)s dan penerusannya belum selesai.")
                % {"name": subject.person.name, "inst": institution}
            )
        referral = Referral.objects.create(
            case=case, subject=subject, institution=institution, channel=channel, note=note, prepared_by=actor
        )
        _event_for(referral, actor, "drafted")
        created.append(referral)
    return created


@transaction.atomic
def referral_send(
    *,
    referral: Referral,
    actor: User,
    expected_version: int | None,
    letter_number: str,
    letter_date: date,
    channel: str,
    sent_at: datetime | None = None,
    make_letters: bool = True,
) -> Referral:
    """Send a draft (a plenary step: coordinator only). The forwarding letter and the dossier are generated
    as PDF and stored with their hashes, so what was sent can be shown later."""
    referral = _locked(referral, expected_version, actor, PLENARY)
    if referral.status != ReferralStatus.DRAFT:
        raise TransitionNotAllowed(_("Penerusan ini sudah dikirim."))
    if not letter_number.strip():
        raise TransitionNotAllowed(_("Isi nomor surat penerusan."))
    _check_response(number=letter_number.strip())
    if channel not in Referral.Channel.values:
        raise CaseError(_("Pilih saluran penerusan dari daftar."))
    decided_on = timezone.localdate(referral.case.decided_at)
    _not_in_future(
        letter_date, _("Tanggal surat"), after=decided_on, after_what=_("putusan pleno"), field="letter_date"
    )
    # the letter is the step: sent on its date (now, for a letter of today), never before the decision
    sent_at = sent_at or moment_of(letter_date, not_before=referral.case.decided_at)
    _not_in_future(timezone.localdate(sent_at), _("Waktu pengiriman"), field=None)
    if not referral.institution.is_active_on(letter_date):  # KASN until 23 Aug 2024, BKN after: by the letter
        successor = referral.institution.successor
        raise TransitionNotAllowed(
            _("%(inst)s tidak menerima penerusan pada tanggal surat itu.") % {"inst": referral.institution}
            + (" " + _("Teruskan ke %(successor)s.") % {"successor": successor} if successor else "")
        )
    referral.letter_number, referral.letter_date, referral.channel = letter_number.strip(), letter_date, channel
    referral.sent_at, referral.sent_by = sent_at, actor
    if referral.is_crime:  # followed through Gakkumdu's own stages, on no recommendation clock
        referral.status, referral.response_due = ReferralStatus.CRIME_FORWARDED, None
    else:
        referral.status = ReferralStatus.SENT
        referral.response_due = _working_days_after(referral, letter_date, referral.institution.response_days)
    fields = ["status", "letter_number", "letter_date", "channel", "sent_at", "sent_by", "response_due"]
    if make_letters:
        fields += _store_letters(referral)
    _save(referral, fields)
    _event_for(
        referral,
        actor,
        "sent",
        occurred_at=sent_at,
        letter_number=referral.letter_number,
        response_due=referral.response_due.isoformat() if referral.response_due else None,
        letter_sha256=referral.letter_sha256,
    )
    referral_conflict_refresh(referral=referral)
    case = Case.objects.get(pk=referral.case_id)  # locked above; re-read after any concurrent send
    if case.status == CaseStatus.DECIDED:
        case_transition(
            case=case, actor=actor, name="refer", expected_version=None, at=sent_at, consequence_of="referral.sent"
        )
    return referral


def _store_letters(referral: Referral) -> list[str]:
    letter = letters.forwarding_letter(referral)
    dossier = letters.dossier(referral)
    slug = f"{referral.code}"
    referral.letter_sha256 = letters.sha256(letter)
    referral.letter_pdf.save(f"surat-penerusan-{slug}.pdf", ContentFile(letter), save=False)
    referral.dossier_sha256 = letters.sha256(dossier)
    referral.dossier_pdf.save(f"berkas-perkara-{slug}.pdf", ContentFile(dossier), save=False)
    return ["letter_pdf", "letter_sha256", "dossier_pdf", "dossier_sha256"]


@transaction.atomic
def referral_withdraw(*, referral: Referral, actor: User, reason: str) -> Referral:
    referral = _locked(referral, None, actor)
    if referral.status != ReferralStatus.DRAFT:
        raise TransitionNotAllowed(_("Hanya draf yang dapat dibatalkan."))
    return _close(referral, actor, Referral.ClosedAs.WITHDRAWN, reason=reason)


# --- Responses -----------------------------------------------------------------------------------------


def _response(
    referral: Referral,
    actor: User | None,
    via: str,
    *,
    kind: str,
    date: date,
    number: str = "",
    proven: bool | None = None,
    sanction: str = "",
    refused: bool = False,
    executed: bool | None = None,
    note: str = "",
) -> ReferralResponse:
    return ReferralResponse.objects.create(
        referral=referral,
        recorded_by=actor,
        recorded_via=via,
        kind=kind,
        date=date,
        number=number,
        proven=proven,
        sanction=sanction,
        refused=refused,
        executed=executed,
        note=note,
    )


@transaction.atomic
def referral_acknowledge(
    *, referral: Referral, actor: User | None, acknowledged_on: date, number: str = "", via: str = "web"
) -> Referral:
    referral = _locked(referral, None, actor)
    if referral.status == ReferralStatus.DRAFT or not referral.is_open:
        raise TransitionNotAllowed(_("Tanda terima dicatat untuk penerusan yang sudah dikirim dan belum selesai."))
    _not_in_future(
        acknowledged_on, _("Tanggal tanda terima"), after=referral.letter_date, after_what=_("tanggal surat penerusan")
    )
    _check_response(number=number)
    _response(referral, actor, via, kind=ReferralResponse.Kind.ACKNOWLEDGED, number=number, date=acknowledged_on)
    referral.acknowledged_at = timezone.make_aware(datetime.combine(acknowledged_on, datetime.min.time()))
    _save(referral, ["acknowledged_at"])
    _event_for(referral, actor, "acknowledged", on=acknowledged_on, date=acknowledged_on.isoformat())
    return referral


@transaction.atomic
def referral_record_recommendation(
    *,
    referral: Referral,
    actor: User | None,
    number: str,
    date: date,
    proven: bool,
    sanction: str = "",
    note: str = "",
    via: str = "web",
) -> Referral:
    referral = _locked(referral, None, actor)
    if referral.status != ReferralStatus.SENT:
        raise TransitionNotAllowed(
            _("Rekomendasi dicatat untuk penerusan yang menunggu rekomendasi (tahap sekarang: %(stage)s).")
            % {"stage": referral.get_status_display()}
        )
    if proven is None:
        raise CaseError(_("Pilih hasil rekomendasi: terbukti atau tidak."))
    if proven and not sanction:
        raise CaseError(_("Rekomendasi terbukti harus menyebut sanksi yang direkomendasikan."))
    _not_in_future(date, _("Tanggal rekomendasi"), after=referral.letter_date, after_what=_("tanggal surat penerusan"))
    _check_response(number=number, sanction=sanction, referral=referral)
    _response(
        referral,
        actor,
        via,
        kind=ReferralResponse.Kind.RECOMMENDATION,
        number=number,
        date=date,
        proven=proven,
        sanction=sanction if proven else "",
        note=note,
    )
    referral.recommended_on = date
    if proven:
        referral.status = ReferralStatus.AWAITING_PPK
        referral.ppk_due = _working_days_after(referral, date, ppk_followup_days(referral))
        _save(referral, ["status", "recommended_on", "ppk_due"])
        _event_for(
            referral,
            actor,
            "recommended",
            on=date,
            number=number,
            proven=True,
            sanction=sanction,
            ppk_due=referral.ppk_due.isoformat(),
        )
        return referral_conflict_refresh(referral=referral)
    _save(referral, ["recommended_on"])
    _event_for(referral, actor, "recommended", on=date, number=number, proven=False)
    return _close(referral, actor, Referral.ClosedAs.NOT_PROVEN, on=date)


@transaction.atomic
def referral_record_ppk_decision(
    *,
    referral: Referral,
    actor: User | None,
    number: str,
    date: date,
    sanction: str = "",
    refused: bool = False,
    note: str = "",
    via: str = "web",
) -> Referral:
    referral = _locked(referral, None, actor)
    if referral.status != ReferralStatus.AWAITING_PPK:
        raise TransitionNotAllowed(
            _("Keputusan PPK dicatat setelah rekomendasi terbukti (tahap sekarang: %(stage)s).")
            % {"stage": referral.get_status_display()}
        )
    if refused == bool(sanction):
        raise CaseError(_("Pilih sanksi yang dijatuhkan PPK, atau tandai bahwa PPK tidak menjatuhkan sanksi."))
    if refused and not note.strip():
        raise CaseError(_("Isi alasan PPK tidak menjatuhkan sanksi."), field="note")
    if not refused and not number.strip():
        raise CaseError(_("Isi nomor keputusan PPK."))
    _not_in_future(date, _("Tanggal keputusan PPK"), after=referral.recommended_on, after_what=_("tanggal rekomendasi"))
    _check_response(number=number, sanction=sanction, referral=referral)
    _response(
        referral,
        actor,
        via,
        kind=ReferralResponse.Kind.PPK_DECISION,
        number=number,
        date=date,
        sanction=sanction,
        refused=refused,
        note=note,
    )
    recommended = recommended_sanction(referral)
    lighter = not refused and lighter_than(sanction, recommended)
    _event_for(
        referral, actor, "ppk_decided", on=date, number=number, sanction=sanction, refused=refused, lighter=lighter
    )
    if refused:
        return _close(referral, actor, Referral.ClosedAs.REFUSED, reason=note, on=date)
    referral.status, referral.sanction_lighter = ReferralStatus.SANCTIONED, lighter
    _save(referral, ["status", "sanction_lighter"])
    return referral


def recommended_sanction(referral: Referral) -> str:
    """The sanction the latest recommendation named (one recorded before a transfer counts: KASN's for BKN)."""
    latest = ReferralResponse.recommendations(referral.pk, referral.transferred_from_id)
    return latest.values_list("sanction", flat=True).first() or ""


def referral_respond(
    *,
    referral: Referral,
    actor: User | None,
    kind: str,
    date: date,
    number: str = "",
    proven: bool | None = None,
    sanction: str = "",
    refused: bool = False,
    note: str = "",
    via: str = "web",
) -> Referral:
    """One response of the receiving body, by its kind: the record below that the kind names."""
    common = {"referral": referral, "actor": actor, "via": via}
    if kind == ReferralResponse.Kind.ACKNOWLEDGED:
        return referral_acknowledge(acknowledged_on=date, number=number, **common)
    if kind == ReferralResponse.Kind.RECOMMENDATION:
        return referral_record_recommendation(
            number=number, date=date, proven=proven, sanction=sanction, note=note, **common
        )
    if kind == ReferralResponse.Kind.PPK_DECISION:
        return referral_record_ppk_decision(
            number=number, date=date, sanction=sanction, refused=refused, note=note, **common
        )
    if kind == ReferralResponse.Kind.EXECUTION:
        return referral_record_execution(date=date, note=note, **common)
    if kind in CRIME_STEPS:
        return referral_record_crime_step(kind=kind, number=number, date=date, proven=proven, note=note, **common)
    raise CaseError(_("Jenis tanggapan tidak dikenal."))


# An election crime's stages at Sentra Gakkumdu: the response each stage waits for, and the stage it leads to
# (None: the referral ends). Stopping (no investigation, an SP3, a prosecutor who does not charge) ends any stage.
CRIME_STEPS = {
    ReferralResponse.Kind.INVESTIGATION: ((ReferralStatus.CRIME_FORWARDED,), ReferralStatus.INVESTIGATION),
    ReferralResponse.Kind.PROSECUTION: ((ReferralStatus.INVESTIGATION,), ReferralStatus.PROSECUTION),
    ReferralResponse.Kind.VERDICT: ((ReferralStatus.PROSECUTION,), None),
    ReferralResponse.Kind.DISCONTINUED: (CRIME_STATUSES, None),
}


@transaction.atomic
def referral_record_crime_step(
    *,
    referral: Referral,
    actor: User | None,
    kind: str,
    date: date,
    number: str = "",
    proven: bool | None = None,
    note: str = "",
    via: str = "web",
) -> Referral:
    """One stage of an election crime forwarded to Sentra Gakkumdu, dated when it happened: the investigation
    opened, the case handed to the prosecutor, the court's verdict (``proven``: guilty), or the matter stopped."""
    referral = _locked(referral, None, actor)
    sources, target = CRIME_STEPS[kind]
    if referral.status not in sources:
        raise TransitionNotAllowed(
            _("“%(step)s” tidak dapat dicatat pada tahap “%(stage)s”.")
            % {"step": ReferralResponse.Kind(kind).label, "stage": referral.get_status_display()}
        )
    if kind == ReferralResponse.Kind.VERDICT and proven is None:
        raise CaseError(_("Pilih isi putusan pengadilan: terbukti bersalah atau tidak."))
    if kind == ReferralResponse.Kind.VERDICT and not number.strip():
        raise CaseError(_("Isi nomor putusan pengadilan."))
    if kind == ReferralResponse.Kind.DISCONTINUED and not note.strip():
        raise CaseError(_("Isi alasan penghentian."))
    last = referral.responses.filter(kind__in=CRIME_STEPS).order_by("-date").values_list("date", flat=True).first()
    after, after_what = (last, _("tahap sebelumnya")) if last else (referral.letter_date, _("tanggal surat penerusan"))
    _not_in_future(date, _("Tanggal tahap ini"), after=after, after_what=after_what)
    _check_response(number=number)
    verdict = proven if kind == ReferralResponse.Kind.VERDICT else None
    _response(referral, actor, via, kind=kind, number=number.strip(), date=date, proven=verdict, note=note)
    _event_for(referral, actor, f"crime.{kind}", on=date, number=number.strip(), proven=verdict, note=note)
    if target is not None:
        referral.status = target
        _save(referral, ["status"])
        return referral
    closed_as = {True: Referral.ClosedAs.CONVICTED, False: Referral.ClosedAs.ACQUITTED}.get(
        verdict, Referral.ClosedAs.DISCONTINUED
    )
    return _close(referral, actor, closed_as, reason=note, on=date)


@transaction.atomic
def referral_record_execution(
    *, referral: Referral, actor: User | None, date: date, note: str = "", via: str = "web"
) -> Referral:
    referral = _locked(referral, None, actor)
    if referral.status != ReferralStatus.SANCTIONED:
        raise TransitionNotAllowed(_("Pelaksanaan sanksi dicatat setelah PPK menjatuhkan sanksi."))
    _not_in_future(
        date, _("Tanggal pelaksanaan sanksi"), after=referral.recommended_on, after_what=_("tanggal rekomendasi")
    )
    _response(referral, actor, via, kind=ReferralResponse.Kind.EXECUTION, date=date, executed=True, note=note)
    _event_for(referral, actor, "executed", on=date, date=date.isoformat())
    return _close(referral, actor, Referral.ClosedAs.EXECUTED, on=date)


def _close(
    referral, actor, closed_as, *, reason="", status=ReferralStatus.CLOSED, close_case=True, on: date | None = None
) -> Referral:
    """End a referral: on the day of the response that ends it (``on``), else now."""
    closed_at = moment_of(on, not_before=referral.sent_at) if on else timezone.now()
    referral.status, referral.closed_as, referral.closed_at = status, closed_as, closed_at
    _save(referral, ["status", "closed_as", "closed_at"])
    _event_for(referral, actor, "closed", closed_as=closed_as, reason=reason, occurred_at=closed_at)
    case = Case.objects.get(pk=referral.case_id)  # locked by _locked: the status read here is current
    if close_case and case.status == CaseStatus.REFERRED:
        still_open = case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).exists()
        referred = Referral.objects.filter(case=case).exclude(closed_as=Referral.ClosedAs.WITHDRAWN)
        unreferred = (
            case.subjects.filter(outcome__in=FORWARDED_SUBJECT_OUTCOMES)
            .exclude(pk__in=referred.values("subject_id"))
            .exists()
        )
        if not still_open and not unreferred:
            case_transition(
                case=case,
                actor=actor,
                name="close",
                expected_version=None,
                reason=_("Semua penerusan selesai."),
                at=closed_at,
                consequence_of=f"referral.{closed_as}",
            )
    return referral


# --- Clocks --------------------------------------------------------------------------------------------


@transaction.atomic
def referral_reminders_record(*, messages: Sequence[Message], on: date, now: datetime | None = None) -> int:
    """Queue the overdue-referral reminders of a sweep and remember on each referral the day it was reminded,
    so that the week's later runs look only at the others. Returns the outbox rows written."""
    ids = [message.context["referral_id"] for message in messages]
    created = queue(messages, now=now).created
    if ids:
        Referral.objects.filter(pk__in=ids).update(reminded_on=on)
    return created
