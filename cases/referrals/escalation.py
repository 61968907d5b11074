"""When the regent (PPK) does not act: the escalation ladder, and the conflict of interest that starts it higher.

A referral awaiting the PPK past its follow-up period (``Referral.ppk_due``) climbs the active rungs of
``EscalationRung`` in order: a reminder letter to the PPK, then a request to BKN to block the person's personnel
data, then a report to the Ministry of Home Affairs. Each rung may be sent from the first working day after
``rung.days`` working days past the step before it (the first rung: past the PPK's period). A referral whose PPK is
an interested party (``Referral.conflict``: he is a candidate in the case's election, or the person serves in his
campaign) skips the rungs addressed to the PPK and may go to the first rung above him at once.

``next_rung`` is the one rule: the referral page offers it, the reminders name it, and ``referral_escalate``
records nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Referral, ReferralEscalation, ReferralStatus
from cases.referrals import letters
from cases.referrals.conflicts import ppk_of
from cases.referrals.services import (
    NUMBER_MAX_LENGTH,
    _event_for,
    _locked,
    _not_in_future,
    _save,
    _working_days_after,
)
from cases.workflow.services import CaseError, TransitionNotAllowed
from netralitas.accounts.models import User
from netralitas.accounts.roles import PLENARY
from netralitas.reference.models import EscalationRung


@dataclass(frozen=True)
class Proposal:
    """The rung a referral may climb next, and the first day it may."""

    rung: EscalationRung
    due: date
    after: str  # what the period counts from, for the page: "batas tindak lanjut PPK", the previous letter

    def ready(self, today: date) -> bool:
        return today >= self.due


def active_rungs() -> list[EscalationRung]:
    return list(EscalationRung.objects.filter(is_active=True).order_by("position"))


def rung_after(conflict: str, escalations: list[ReferralEscalation], rungs: list[EscalationRung]):
    """Which rung comes next for a referral awaiting the PPK with these ``escalations`` climbed, on the active
    ladder ``rungs`` (in order): the first not climbed past the last one climbed; for a conflict of interest,
    the rungs addressed to the PPK are skipped. None when the ladder is climbed."""
    ladder = [r for r in rungs if r.above_ppk] if conflict else rungs
    climbed = {e.rung_id for e in escalations}
    last_position = max((e.rung.position for e in escalations), default=0)
    return next((r for r in ladder if r.pk not in climbed and r.position >= last_position), None)


def next_rung(
    referral: Referral,
    escalations: list[ReferralEscalation],
    rungs: list[EscalationRung] | None = None,
) -> Proposal | None:
    """The next rung of ``referral`` (``rung_after``) and the first day it may be sent: ``rung.days`` working
    days in the referral's region past the step before it (the last letter, else the PPK's period), then the
    next working day; for a conflict of interest the first rung at once, from the recommendation. None when
    the referral waits on no one but the PPK, or the ladder is climbed. ``rungs``: the active ladder, read
    when needed if not given."""
    if referral.status != ReferralStatus.AWAITING_PPK or referral.ppk_due is None:
        return None
    rung = rung_after(referral.conflict, escalations, active_rungs() if rungs is None else rungs)
    if rung is None:
        return None
    last = max(escalations, key=lambda e: (e.letter_date, e.pk), default=None)
    if last is not None:
        after = _("surat %(n)s") % {"n": last.letter_number}
        return Proposal(rung, _working_days_after(referral, last.letter_date, rung.days + 1), after)
    if referral.conflict:
        return Proposal(rung, referral.recommended_on, _("rekomendasi (benturan kepentingan)"))
    return Proposal(rung, _working_days_after(referral, referral.ppk_due, rung.days + 1), _("batas tindak lanjut PPK"))


def addressee_of_rung(rung: EscalationRung, referral: Referral) -> str:
    if rung.addressee == EscalationRung.Addressee.PPK:
        ppk = ppk_of(referral)
        return ppk.head_title or ppk.name if ppk else _("Pejabat Pembina Kepegawaian")
    if rung.addressee == EscalationRung.Addressee.RECEIVING_BODY:
        return letters.addressee(referral)
    return rung.addressee_title


@transaction.atomic
def referral_escalate(
    *,
    referral: Referral,
    actor: User,
    rung: EscalationRung,
    letter_number: str,
    letter_date: date,
    make_letter: bool = True,
) -> ReferralEscalation:
    """Climb the proposed rung: its letter, signed by the koordinator (a plenary step), generated as PDF and
    stored with its hash; the case's timeline and the referral's API feed record it."""
    referral = _locked(referral, None, actor, PLENARY)
    escalations = list(referral.escalations.select_related("rung").select_for_update(of=("self",)))
    proposal = next_rung(referral, escalations)
    if proposal is None:
        raise TransitionNotAllowed(_("Penerusan ini tidak sedang menunggu langkah eskalasi."))
    if proposal.rung.pk != rung.pk:
        raise TransitionNotAllowed(
            _("Langkah berikutnya adalah “%(next)s”, bukan “%(rung)s”.") % {"next": proposal.rung, "rung": rung}
        )
    letter_number = letter_number.strip()
    if not letter_number:
        raise CaseError(_("Isi nomor surat."), field="letter_number")
    if len(letter_number) > NUMBER_MAX_LENGTH:
        raise CaseError(
            _("Nomor surat paling banyak %(n)d karakter.") % {"n": NUMBER_MAX_LENGTH}, field="letter_number"
        )
    _not_in_future(letter_date, _("Tanggal surat"), field="letter_date")
    if letter_date < proposal.due:
        day = date_format(proposal.due, "DATE_FORMAT")
        message = (
            _("“%(rung)s” baru dapat dikirim mulai %(day)s, hari kerja pertama sesudah %(after)s.")
            if rung.days == 0 or (referral.conflict and not escalations)
            else _("“%(rung)s” baru dapat dikirim mulai %(day)s, sesudah %(days)d hari kerja sejak %(after)s.")
        )
        raise CaseError(
            message % {"rung": rung, "day": day, "days": rung.days, "after": proposal.after}, field="letter_date"
        )
    escalation = ReferralEscalation(
        referral=referral,
        rung=rung,
        addressee=addressee_of_rung(rung, referral),
        letter_number=letter_number,
        letter_date=letter_date,
        sent_by=actor,
    )
    if make_letter:
        pdf = letters.escalation_letter(escalation, escalations)
        escalation.letter_sha256 = letters.sha256(pdf)
        escalation.letter_pdf.save(f"eskalasi-{rung.code}-{referral.code}.pdf", ContentFile(pdf), save=False)
    escalation.save()
    _save(referral, [])
    _event_for(
        referral,
        actor,
        "escalated",
        on=letter_date,
        rung=rung.code,
        rung_name=rung.name,
        addressee=escalation.addressee,
        letter_number=letter_number,
        letter_sha256=escalation.letter_sha256,
    )
    return escalation


ANSWERS = ("answer", "blocked", "unblocked")


@transaction.atomic
def escalation_record_answer(
    *,
    escalation: ReferralEscalation,
    actor: User,
    kind: str,
    date: date,
    number: str = "",
    note: str = "",
) -> ReferralEscalation:
    """The answer to a rung's letter (``kind`` "answer"), or BKN's blocking or unblocking of the person's
    personnel data ("blocked", "unblocked"), each a dated step on the case's timeline."""
    referral = _locked(escalation.referral, None, actor)
    escalation = ReferralEscalation.objects.select_for_update().select_related("rung").get(pk=escalation.pk)
    if kind not in ANSWERS:
        raise CaseError(_("Pilih jenis jawaban dari daftar."), field="kind")
    number, note = number.strip(), note.strip()
    if len(number) > NUMBER_MAX_LENGTH:
        raise CaseError(_("Nomor surat paling banyak %(n)d karakter.") % {"n": NUMBER_MAX_LENGTH}, field="number")
    if kind == "answer":
        if escalation.answer_date is not None:
            raise TransitionNotAllowed(_("Jawaban surat ini sudah dicatat."))
        if not (number or note):
            raise CaseError(_("Isi nomor surat jawaban atau ringkasan isinya."), field="note")
        _not_in_future(
            date, _("Tanggal jawaban"), after=escalation.letter_date, after_what=_("tanggal surat"), field="date"
        )
        escalation.answer_number, escalation.answer_date, escalation.answer_note = number, date, note
    elif not escalation.rung.requests_block:
        raise TransitionNotAllowed(_("Langkah ini tidak meminta pemblokiran data kepegawaian."))
    elif kind == "blocked":
        if escalation.blocked_on is not None:
            raise TransitionNotAllowed(_("Pemblokiran sudah dicatat."))
        _not_in_future(
            date, _("Tanggal pemblokiran"), after=escalation.letter_date, after_what=_("tanggal surat"), field="date"
        )
        escalation.blocked_on = date
    else:
        if escalation.blocked_on is None:
            raise TransitionNotAllowed(_("Data kepegawaian belum tercatat diblokir."))
        if escalation.unblocked_on is not None:
            raise TransitionNotAllowed(_("Pembukaan blokir sudah dicatat."))
        _not_in_future(
            date,
            _("Tanggal pembukaan blokir"),
            after=escalation.blocked_on,
            after_what=_("tanggal pemblokiran"),
            field="date",
        )
        escalation.unblocked_on = date
    escalation.save()
    _save(referral, [])
    _event_for(
        referral,
        actor,
        f"escalation_{kind}",
        on=date,
        rung=escalation.rung.code,
        rung_name=escalation.rung.name,
        number=number,
        note=note,
    )
    return escalation
