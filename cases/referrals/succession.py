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

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from cases.models import Case, CaseEvent, CaseSubject, Person, Referral, ReferralStatus, Succession, entered_late
from cases.referrals.webhooks import Changed, referrals_changed
from cases.workflow.services import CaseError, PermissionRefused, moment_of
from netralitas.accounts.models import Membership, User
from netralitas.accounts.roles import CASE_WORKERS, OPERATORS
from netralitas.accounts.scope import roles_of
from netralitas.notify.services import Message, queue
from netralitas.reference.calendar import ManyRegionsCalendar
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
    succession.moved, per_office = _move(succession, actor)
    succession.save(update_fields=["moved"])
    _tell_offices(succession, per_office)
    return succession


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _col(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _move(succession: Succession, actor: User) -> tuple[int, list[tuple[int, int]]]:
    """Move the open referrals in SQL, a fixed number of statements whatever their number (a national
    succession moves tens of thousands): returns how many moved and (office, referrals) pairs to tell."""
    predecessor, successor, on = succession.predecessor, succession.successor, succession.effective_on
    candidates = Referral.objects.filter(
        institution=predecessor, status__in=[*MOVED_STATUSES, ReferralStatus.DRAFT]
    ).exclude(pk__in=_blocked(predecessor, successor).values("pk"))
    # lock order everywhere: the cases, then the referrals
    list(Case.objects.select_for_update().filter(pk__in=candidates.values("case_id")).order_by("pk").values_list("pk"))
    rows = list(
        candidates.select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "status", "case__office_id", "case__office__region__code")
    )
    moving = [pk for pk, status, *_ in rows if status != ReferralStatus.DRAFT]
    drafts = [pk for pk, status, *_ in rows if status == ReferralStatus.DRAFT]
    # the recommendation's clock, restarted from the succession in each office's region (one calendar read)
    regions = {office: code for _pk, status, office, code in rows if status == ReferralStatus.SENT}
    restart = succession.clock == Succession.Clock.RESTART and regions
    calendar = ManyRegionsCalendar(on, on + timedelta(days=7 * successor.response_days + 60)) if restart else None
    due_by_office = (
        {office: calendar.add_working_days(on, successor.response_days, code) for office, code in regions.items()}
        if restart
        else {}
    )
    now, moment = timezone.now(), moment_of(on)
    late = entered_late(moment, now)
    r, c, e = _table(Referral), _table(Case), _table(CaseEvent)
    copied = [f for f in Referral._meta.concrete_fields if not f.primary_key]
    given = {
        "code": "gen_random_uuid()",
        "institution": "%(successor)s",
        "acknowledged_at": "NULL",
        "response_due": (
            f"CASE WHEN r.{_col(Referral, 'status')} = 'sent' AND due.day IS NOT NULL THEN due.day "
            f"ELSE r.{_col(Referral, 'response_due')} END"
        ),
        "transferred_from": f"r.{_col(Referral, 'id')}",
        "transferred_on": "%(on)s",
        "succession": "%(succession)s",
        "prepared_by": "%(actor)s",
        "reminded_on": "NULL",
        "closed_at": "NULL",
        "closed_as": "''",
        "note": "''",
        "version": "1",
        "created_at": "%(now)s",
        "updated_at": "%(now)s",
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in copied)
    values = ", ".join(given.get(f.name, f"r.{connection.ops.quote_name(f.column)}") for f in copied)
    params = {
        "successor": successor.pk,
        "predecessor": predecessor.pk,
        "on": on,
        "succession": succession.pk,
        "actor": actor.pk,
        "now": now,
        "moment": moment,
        "late": late,
        "moving": moving,
        "drafts": drafts,
        "offices": list(due_by_office),
        "days": list(due_by_office.values()),
        "reason": succession.legal_basis,
        "names": Jsonb(
            {"from_institution": str(predecessor), "to_institution": str(successor), "succession": str(succession.code)}
        ),
        "predecessor_name": str(predecessor),
        "successor_name": str(successor),
    }
    person = (
        f"(SELECT p.{_col(Person, 'name')} FROM {_table(CaseSubject)} s JOIN {_table(Person)} p "
        f"ON p.{_col(Person, 'id')} = s.{_col(CaseSubject, 'person')} WHERE s.{_col(CaseSubject, 'id')} = "
        f"x.{_col(Referral, 'subject')})"
    )

    def events(action: str, institution: str, extra: str = "") -> str:
        return (
            f"SELECT x.{_col(Referral, 'case')}, %(actor)s, 'referral.{action}', '', '', %(reason)s, "
            f"jsonb_build_object('referral', x.{_col(Referral, 'code')}::text, 'person', {person}, "
            f"'institution', {institution}{extra}) || %(names)s::jsonb, %(moment)s, %(late)s, %(now)s"
        )

    event_columns = (
        ", ".join(
            _col(CaseEvent, name)
            for name in ("case", "actor", "action", "from_status", "to_status", "reason", "data", "occurred_at")
        )
        + f", {_col(CaseEvent, 'entered_late')}, {_col(CaseEvent, 'created_at')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH due (office_id, day) AS (SELECT * FROM unnest(%(offices)s::bigint[], %(days)s::date[])),
            moved AS (
                INSERT INTO {r} ({columns})
                SELECT {values} FROM {r} r
                JOIN {c} c ON c.{_col(Case, "id")} = r.{_col(Referral, "case")}
                LEFT JOIN due ON due.office_id = c.{_col(Case, "office")}
                WHERE r.{_col(Referral, "id")} = ANY(%(moving)s)
                RETURNING *
            ), ended AS (
                UPDATE {r} x SET {_col(Referral, "status")} = 'transferred',
                    {_col(Referral, "closed_as")} = 'dialihkan', {_col(Referral, "closed_at")} = %(moment)s,
                    {_col(Referral, "version")} = x.{_col(Referral, "version")} + 1,
                    {_col(Referral, "updated_at")} = %(now)s
                WHERE x.{_col(Referral, "id")} = ANY(%(moving)s)
                RETURNING x.*
            ), readdressed AS (
                UPDATE {r} x SET {_col(Referral, "institution")} = %(successor)s,
                    {_col(Referral, "version")} = x.{_col(Referral, "version")} + 1,
                    {_col(Referral, "updated_at")} = %(now)s
                WHERE x.{_col(Referral, "id")} = ANY(%(drafts)s)
                RETURNING x.*
            ), logged AS (
                INSERT INTO {e} ({event_columns})
                {events("closed", "%(predecessor_name)s", ", 'closed_as', 'dialihkan'")} FROM ended x
                UNION ALL {events("transferred", "%(successor_name)s")} FROM moved x
                UNION ALL {events("readdressed", "%(successor_name)s")} FROM readdressed x
            ), marked AS (
                UPDATE {c} SET {_col(Case, "steps_entered_late")} = true
                WHERE %(late)s AND NOT {_col(Case, "steps_entered_late")} AND {_col(Case, "id")} IN (
                    SELECT {_col(Referral, "case")} FROM ended UNION SELECT {_col(Referral, "case")} FROM readdressed)
            )
            SELECT 'closed', x.{_col(Referral, "id")}, x.{_col(Referral, "code")}, x.{_col(Referral, "version")},
                   x.{_col(Referral, "institution")}, x.{_col(Referral, "case")} FROM ended x
            UNION ALL SELECT 'transferred', x.{_col(Referral, "id")}, x.{_col(Referral, "code")},
                   x.{_col(Referral, "version")}, x.{_col(Referral, "institution")}, x.{_col(Referral, "case")} FROM moved x
            UNION ALL SELECT 'readdressed', x.{_col(Referral, "id")}, x.{_col(Referral, "code")},
                   x.{_col(Referral, "version")}, x.{_col(Referral, "institution")}, x.{_col(Referral, "case")}
                   FROM readdressed x
            """,
            params,
        )
        changed = cursor.fetchall()
    referrals_changed(changes=[(Changed(*row[1:5]), row[0]) for row in changed])
    per_office = Counter(office for _pk, _status, office, _code in rows)
    return len(moving), sorted(per_office.items())


def _tell_offices(succession: Succession, per_office: list[tuple[int, int]]) -> None:
    """One message per office whose referrals moved, to its case workers."""
    per_office = dict(per_office)
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
