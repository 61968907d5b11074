"""A receiving body replaced by another (KASN by BKN on 24 Aug 2024; the independent ASN body the
Constitutional Court ordered, when it comes): declared once by an operator, with its date and legal basis.

The declaration ends the old body the day before (``Institution.active_until``, ``successor``) and moves every
open referral addressed to it in one transaction, set-based (a fixed number of queries whatever their number):
the old row ends as ``transferred``, a new row at the successor keeps the letter, the recommendation, the PPK
clock and a link back (``transferred_from``, ``succession``), so the history and the API feed stay whole and the
successor's clients see the referrals at once. A referral still awaiting the recommendation gets its clock
restarted from the succession date (the successor's own period) or continued, as the declaration says; the
PPK's clock never changes (the PPK did not). Drafts are re-addressed in place: nothing was sent. The offices
concerned are told; the transfer note of each referral is rendered from these rows when asked for
(``letters.transfer_note``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseEvent, Referral, ReferralStatus, Succession, entered_late
from cases.referrals.webhooks import referrals_changed
from cases.workflow.services import CaseError, PermissionRefused, moment_of
from netralitas.accounts.models import Membership, User
from netralitas.accounts.roles import CASE_WORKERS, OPERATORS
from netralitas.accounts.scope import roles_of
from netralitas.notify.services import Message, queue
from netralitas.reference.calendar import WorkingCalendar
from netralitas.reference.models import Institution

LEGAL_BASIS_MAX_LENGTH = 300
# what moves: every referral sent and not ended (a crime never goes to a body that has successors)
MOVED_STATUSES = (ReferralStatus.SENT, ReferralStatus.AWAITING_PPK, ReferralStatus.SANCTIONED)


@dataclass
class Preview:
    """What a declaration would do, for the page before it is confirmed."""

    moving: int
    drafts: int
    blocked: list[Referral] = field(default_factory=list)


def may_declare(user: User) -> bool:
    return user.is_superuser or bool(roles_of(user) & OPERATORS)


def _blocked(predecessor: Institution, successor: Institution):
    """Open referrals of the old body whose person already has an open referral at the successor: moving
    them would give one person two open referrals there. They stay, listed, for a person to settle."""
    at_successor = Referral.objects.filter(institution=successor, status__in=[*MOVED_STATUSES, ReferralStatus.DRAFT])
    return Referral.objects.filter(
        institution=predecessor,
        status__in=[*MOVED_STATUSES, ReferralStatus.DRAFT],
        subject_id__in=at_successor.values("subject_id"),
    )


def succession_preview(predecessor: Institution, successor: Institution) -> Preview:
    open_rows = Referral.objects.filter(institution=predecessor)
    blocked = list(_blocked(predecessor, successor).select_related("case", "subject__person"))
    blocked_ids = {r.pk for r in blocked}
    return Preview(
        moving=open_rows.filter(status__in=MOVED_STATUSES).exclude(pk__in=blocked_ids).count(),
        drafts=open_rows.filter(status=ReferralStatus.DRAFT).exclude(pk__in=blocked_ids).count(),
        blocked=blocked,
    )


@transaction.atomic
def succession_declare(
    *,
    actor: User,
    predecessor: Institution,
    successor: Institution,
    effective_on: date,
    legal_basis: str,
    clock: str = Succession.Clock.RESTART,
) -> Succession:
    if not may_declare(actor):
        raise PermissionRefused(_("Hanya operator sistem yang dapat menyatakan suksesi lembaga."))
    legal_basis = legal_basis.strip()
    if not legal_basis:
        raise CaseError(_("Isi dasar hukum suksesi."), field="legal_basis")
    if len(legal_basis) > LEGAL_BASIS_MAX_LENGTH:
        raise CaseError(
            _("Dasar hukum paling banyak %(n)d karakter.") % {"n": LEGAL_BASIS_MAX_LENGTH}, field="legal_basis"
        )
    if clock not in Succession.Clock.values:
        raise CaseError(_("Pilih aturan batas waktu dari daftar."), field="clock")
    if predecessor.pk == successor.pk:
        raise CaseError(_("Lembaga penerus harus lembaga lain."), field="successor")
    if predecessor.kind != successor.kind:
        raise CaseError(
            _("Lembaga penerus harus sejenis: %(old)s adalah %(kind)s.")
            % {"old": predecessor, "kind": predecessor.get_kind_display()},
            field="successor",
        )
    if effective_on > timezone.localdate():
        raise CaseError(
            _("Tanggal berlaku tidak boleh di masa depan: nyatakan suksesi pada hari berlakunya."), field="effective_on"
        )
    # the old body's row is the lock: two operators declaring at once are serialised here
    predecessor = Institution.objects.select_for_update().get(pk=predecessor.pk)
    if Succession.objects.filter(predecessor=predecessor).exists():
        raise CaseError(_("Suksesi %(old)s sudah pernah dinyatakan.") % {"old": predecessor}, field="predecessor")
    if predecessor.active_from and predecessor.active_from >= effective_on:
        raise CaseError(
            _("Tanggal berlaku harus sesudah %(old)s mulai aktif.") % {"old": predecessor}, field="effective_on"
        )
    if not successor.is_active_on(effective_on):
        raise CaseError(
            _("%(new)s belum atau tidak lagi aktif pada tanggal itu: periksa tanggal aktifnya.") % {"new": successor},
            field="effective_on",
        )
    last_day = effective_on - timedelta(days=1)
    if predecessor.active_until is None or predecessor.active_until > last_day:
        predecessor.active_until = last_day
    predecessor.successor = successor
    predecessor.save(update_fields=["active_until", "successor"])
    succession = Succession.objects.create(
        predecessor=predecessor,
        successor=successor,
        effective_on=effective_on,
        legal_basis=legal_basis,
        clock=clock,
        declared_by=actor,
    )
    moved, drafts = _move(succession, actor)
    succession.moved = len(moved)
    succession.save(update_fields=["moved"])
    _tell_offices(succession, moved + drafts)
    return succession


def _move(succession: Succession, actor: User) -> tuple[list[Referral], list[Referral]]:
    predecessor, successor, on = succession.predecessor, succession.successor, succession.effective_on
    blocked = _blocked(predecessor, successor).values("pk")
    candidates = Referral.objects.filter(
        institution=predecessor, status__in=[*MOVED_STATUSES, ReferralStatus.DRAFT]
    ).exclude(pk__in=blocked)
    # lock order everywhere: the cases, then the referrals
    list(Case.objects.select_for_update().filter(pk__in=candidates.values("case_id")).order_by("pk").values_list("pk"))
    rows = list(candidates.select_for_update().select_related("case__office__region", "subject__person").order_by("pk"))
    drafts = [r for r in rows if r.status == ReferralStatus.DRAFT]
    sent = [r for r in rows if r.status != ReferralStatus.DRAFT]
    now = timezone.now()
    moment = moment_of(on)
    calendars: dict[int, WorkingCalendar] = {}

    def restarted(referral: Referral) -> date:
        region = referral.case.office.region
        calendar = calendars.setdefault(region.pk, WorkingCalendar(region))
        return calendar.add_working_days(on, successor.response_days)[0]

    new_rows = [
        Referral(
            case_id=old.case_id,
            subject_id=old.subject_id,
            institution=successor,
            status=old.status,
            channel=old.channel,
            letter_number=old.letter_number,
            letter_date=old.letter_date,
            sent_at=old.sent_at,
            sent_by_id=old.sent_by_id,
            acknowledged_at=None,
            response_due=(
                restarted(old)
                if old.status == ReferralStatus.SENT and succession.clock == Succession.Clock.RESTART
                else old.response_due
            ),
            recommended_on=old.recommended_on,
            ppk_due=old.ppk_due,
            sanction_lighter=old.sanction_lighter,
            conflict=old.conflict,
            transferred_from_id=old.pk,
            transferred_on=on,
            succession=succession,
            prepared_by=actor,
            letter_pdf=old.letter_pdf.name,
            letter_sha256=old.letter_sha256,
            dossier_pdf=old.dossier_pdf.name,
            dossier_sha256=old.dossier_sha256,
        )
        for old in sent
    ]
    Referral.objects.filter(pk__in=[r.pk for r in sent]).update(
        status=ReferralStatus.TRANSFERRED,
        closed_as=Referral.ClosedAs.TRANSFERRED,
        closed_at=moment,
        version=F("version") + 1,
        updated_at=now,
    )
    created = Referral.objects.bulk_create(new_rows)
    Referral.objects.filter(pk__in=[r.pk for r in drafts]).update(
        institution=successor, version=F("version") + 1, updated_at=now
    )
    for row in rows:  # as the updates above left them
        row.version += 1
    late = entered_late(moment, now)
    names = {"from_institution": str(predecessor), "to_institution": str(successor), "succession": str(succession.code)}

    def event(referral: Referral, action: str, **data) -> CaseEvent:
        return CaseEvent(
            case_id=referral.case_id,
            actor=actor,
            action=f"referral.{action}",
            reason=succession.legal_basis,
            occurred_at=moment,
            entered_late=late,
            data={
                "referral": str(referral.code),
                "person": referral.subject.person.name,
                "institution": str(referral.institution if action != "closed" else predecessor),
                **names,
                **data,
            },
        )

    events = []
    for old, new in zip(sent, created, strict=True):
        new.subject, new.case = old.subject, old.case
        events.append(event(old, "closed", closed_as=Referral.ClosedAs.TRANSFERRED))
        events.append(event(new, "transferred"))
    for draft in drafts:
        draft.institution = successor
        events.append(event(draft, "readdressed"))
    CaseEvent.objects.bulk_create(events)
    if late:
        Case.all_objects.filter(pk__in={r.case_id for r in rows}, steps_entered_late=False).update(
            steps_entered_late=True
        )
    referrals_changed(
        changes=[(old, "closed") for old in sent]
        + [(new, "transferred") for new in created]
        + [(draft, "readdressed") for draft in drafts]
    )
    return created, drafts


def _tell_offices(succession: Succession, referrals: list[Referral]) -> None:
    """One message per office whose referrals moved, to its case workers."""
    per_office = Counter(r.case.office_id for r in referrals)
    if not per_office:
        return
    staff: dict[int, list[int]] = {}
    for office_id, user_id in Membership.objects.filter(
        office_id__in=per_office, role__in=CASE_WORKERS, user__is_active=True
    ).values_list("office_id", "user_id"):
        staff.setdefault(office_id, []).append(user_id)
    queue(
        [
            Message(
                template="succession_declared",
                key=f"succession:{succession.pk}:office:{office_id}",
                context={
                    "predecessor": str(succession.predecessor),
                    "successor": str(succession.successor),
                    "effective_on": succession.effective_on.isoformat(),
                    "legal_basis": succession.legal_basis,
                    "count": count,
                },
                users=staff.get(office_id, []),
                url=reverse("cases:referral_board"),
                office_id=office_id,
            )
            for office_id, count in per_office.items()
            if staff.get(office_id)
        ]
    )
