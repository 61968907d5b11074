"""Every write to the case register. Views, forms and tasks call these; nothing else sets ``status``.

Each change runs in one transaction, locks the case row, refuses a stale version (two people editing one
case: the second save is refused, not lost silently), writes its ``CaseEvent`` in the same transaction
and recomputes the deadlines.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    OPEN_REFERRAL_STATUSES,
    Case,
    CaseEvent,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    CaseSubject,
    ClarificationMeeting,
    EmploymentType,
    Evidence,
    Person,
    Referral,
    RegisterCounter,
    Reporter,
    SubjectOutcome,
    ViolationType,
    case_outcome_of,
    entered_late,
)
from cases.workflow import deadlines
from cases.workflow.nip import check_nip_kind, parse_nip
from netralitas.accounts.models import Role, User
from netralitas.accounts.roles import CASE_WORKERS, DELETERS, PLENARY
from netralitas.accounts.scope import holds_role_for
from netralitas.accounts.selectors import members_by_office
from netralitas.errors import ServiceError
from netralitas.notify.services import Message, queue
from netralitas.reference.models import Agency, Election, Office, Region, format_case_number

logger = logging.getLogger(__name__)


class CaseError(ServiceError):
    """A domain rule refused the change; the message is for the user, in Indonesian."""


class TransitionNotAllowed(CaseError):
    pass


class PermissionRefused(CaseError):
    pass


class StaleVersion(CaseError):
    def __init__(self, case: Case):
        self.case, self.version = case, case.version
        who = case.events.order_by("-created_at", "-pk").select_related("actor").first()
        by = f" oleh {who.actor.display_name}" if who and who.actor else ""
        when = formats.date_format(timezone.localtime(case.updated_at), "DATETIME_FORMAT")
        super().__init__(
            _(
                "Perkara ini sudah diubah%(by)s pada %(when)s setelah Anda membukanya, jadi perubahan Anda belum "
                "disimpan. Isian Anda masih ada di bawah: periksa data terbaru, lalu simpan lagi."
            )
            % {"by": by, "when": when}
        )


class RejectedFile(CaseError):
    field = "upload"


class StorageFailed(CaseError):
    """The file storage refused a write (disk full, quota, read-only, I/O error). Nothing was kept: the
    transaction rolled back and the files written by the failed change were deleted."""

    field, status = "upload", 503

    def __init__(self, name: str):
        super().__init__(
            _(
                "Berkas “%(name)s” tidak dapat disimpan: penyimpanan server menolak menulis (ruang penyimpanan "
                "penuh atau bermasalah). Tidak ada yang tersimpan dan isian Anda masih ada di bawah. Coba lagi "
                "nanti, dan beri tahu admin kantor bila berulang."
            )
            % {"name": name}
        )


# --- Permissions -------------------------------------------------------------------------------------


def require_role(user: User, office: Office, roles: Iterable[str]) -> None:
    if not holds_role_for(user, office, roles):
        raise PermissionRefused(_("Peran Anda tidak mengizinkan langkah ini."))


# --- Helpers -------------------------------------------------------------------------------------------


def record_event(
    case: Case, actor: User | None, action: str, *, from_status="", to_status="", reason="", occurred_at=None, **data
):
    """The timeline row of a change; ``occurred_at`` is when the step happened, if it was not when entered. A
    step entered late marks its case so (``Case.steps_entered_late``)."""
    late = entered_late(occurred_at, timezone.now())
    if late and not case.steps_entered_late:
        Case.all_objects.filter(pk=case.pk).update(steps_entered_late=True)
        case.steps_entered_late = True
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        occurred_at=occurred_at,
        entered_late=late,
        data=data,
    )


def moment_of(day: date, *, not_before: datetime | None = None) -> datetime:
    """The moment of a step known by its date: now for a step of today, else the start of that day (local
    time), but never before the step it follows (``not_before``, on the same day)."""
    if day >= timezone.localdate():
        return timezone.now()
    start = datetime.combine(day, time.min, timezone.get_current_timezone())
    return max(start, not_before) if not_before else start


def check_step_time(case: Case, at: datetime, step: str) -> None:
    """A step's moment is when it happened: not in the future (beyond a clock a few minutes fast), and not
    before the step it follows (received, registered, decided), so a case entered after the fact keeps its
    real order. The one rule for every dated step of a case."""
    if at > timezone.now() + CLOCK_SKEW:
        raise TransitionNotAllowed(_("Waktu %(step)s tidak boleh di masa depan.") % {"step": step})
    previous = [
        (moment, label)
        for moment, label in (
            (case.received_at, _("laporan diterima")),
            (case.registered_at, _("registrasi")),
            (case.decided_at, _("putusan pleno")),
        )
        if moment is not None
    ]
    moment, label = max(previous, key=lambda item: item[0])
    if at < moment:
        raise TransitionNotAllowed(
            _("Waktu %(step)s tidak boleh sebelum %(previous)s (%(when)s).")
            % {
                "step": step,
                "previous": label,
                "when": formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"),
            }
        )


def lock_case(case: Case, expected_version: int | None, actor: User | None, roles=CASE_WORKERS) -> Case:
    """The case row, locked for this transaction, once ``actor`` is found to hold one of ``roles`` for its office
    (no actor: the caller checked already); refused if someone saved it since ``expected_version``."""
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("office__region", "election__region")
        .get(pk=case.pk)
    )
    if actor is not None:
        require_role(actor, locked.office, roles)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked)
    return locked


def _save(case: Case, fields: Iterable[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


# --- Intake --------------------------------------------------------------------------------------------


#: how far ahead of the server's clock a typed receipt time may be (a clock a few minutes fast, not a plan)
CLOCK_SKEW = timedelta(minutes=5)


class Unchanged:
    """The default of ``case_update``'s fields: a field not given is left as it is."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = Unchanged()


def check_case_dates(*, known_on: date, received_at: datetime, occurred_on: date | None) -> None:
    """The dates of an intake: received not in the future, known not after received, the event not after it
    was known. The intake form shows the same rules beside its fields; the service refuses them whoever calls."""
    if received_at > timezone.now() + CLOCK_SKEW:
        raise CaseError(_("Waktu diterima tidak boleh di masa depan."))
    if known_on > timezone.localdate(received_at):
        raise CaseError(_("Tanggal diketahui tidak boleh sesudah laporan diterima."))
    if occurred_on is not None and occurred_on > known_on:
        raise CaseError(_("Kejadian tidak mungkin sesudah tanggal diketahui."))


def _check_assignee(office: Office, assignee: User | None) -> None:
    if assignee is not None and not holds_role_for(assignee, office, CASE_WORKERS):
        raise CaseError(_("Penanggung jawab harus pengawas atau koordinator kantor ini."))


def _check_district(office: Office, district: Region | None) -> None:
    if district is not None and not (
        district.level == Region.Level.DISTRICT and district.code.startswith(f"{office.region.code}.")
    ):
        raise CaseError(_("Kecamatan yang dipilih bukan wilayah kantor ini."))


@dataclass(frozen=True)
class Intake:
    """What an intake records of the case itself, as typed: by staff (the intake form), by a citizen (the
    public report page) or by the demo. ``reporter`` holds the ``Reporter.FIELDS`` of a laporan."""

    title: str
    chronology: str
    known_on: date
    received_at: datetime | None = None
    reporter: dict | None = None
    occurred_on: date | None = None
    district: Region | None = None
    place: str = ""
    assignee: User | None = None
    req_reporter_identity: bool = False
    req_reported_identity: bool = False
    req_signature: bool = False
    req_time_place: bool = False
    req_description: bool = False
    req_evidence: bool = False


@transaction.atomic
def case_create(*, office: Office, election: Election, source: str, actor: User, intake: Intake) -> Case:
    """Record a temuan or a laporan. The time limit to report is computed and shown; a late report is
    still recorded (it can then be refused registration with the reason)."""
    require_role(actor, office, CASE_WORKERS)
    _check_assignee(office, intake.assignee)
    case = new_case(office=office, election=election, source=source, actor=actor, intake=intake)
    _notify_assigned(case, actor)
    return case


def new_case(
    *,
    office: Office,
    election: Election,
    source: str,
    actor: User | None,
    intake: Intake,
    event: str = "case.created",
    event_at: datetime | None = None,
) -> Case:
    """The case row, its reporter and its first event, for the services that take a case in (staff intake,
    the public report page), each after its own permission check. Call inside their transaction."""
    if source not in CaseSource.values:
        raise CaseError(_("Sumber perkara tidak dikenal."))
    if source == CaseSource.REPORT and not intake.reporter:
        raise CaseError(_("Laporan harus memuat identitas pelapor."))
    if not intake.title.strip() or not intake.chronology.strip():
        raise CaseError(_("Isi ringkasan dan kronologi perkara."))
    received_at = intake.received_at or timezone.now()
    check_case_dates(known_on=intake.known_on, received_at=received_at, occurred_on=intake.occurred_on)
    _check_district(office, intake.district)
    region = office.region
    typed = {f.name: getattr(intake, f.name) for f in fields(intake) if f.name != "reporter"}
    case = Case(
        office=office, election=election, source=source, created_by=actor, **typed | {"received_at": received_at}
    )
    case.report_due = deadlines.report_due(election, source, intake.known_on, region)
    case.review_due = deadlines.review_due(election, received_at, region)
    case.req_within_time = not case.filed_late  # the system knows this one: never a checkbox
    if source == CaseSource.FINDING:
        # A finding has no reporter: the identity and signature requirements do not apply.
        case.req_reporter_identity = case.req_signature = True
    case.save()
    if source == CaseSource.REPORT:
        Reporter.objects.create(case=case, **{k: v for k, v in intake.reporter.items() if k in Reporter.FIELDS})
    record_event(
        case,
        actor,
        event,
        to_status=case.status,
        occurred_at=event_at or received_at,
        source=source,
        report_due=case.report_due.isoformat(),
        review_due=case.review_due.isoformat(),
        filed_late=case.filed_late,
    )
    return case


#: what ``case_update`` may change (the description of a case, never its status)
EDITABLE_FIELDS = (
    *("title", "chronology", "occurred_on", "district", "place", "known_on", "received_at", "assignee"),
    *Case.TICKED_REQUIREMENTS,
)
#: what the initial review checked: fixed once the case is registered
REVIEW_FIELDS = ("known_on", "received_at", *Case.FORMAL_REQUIREMENTS, *Case.MATERIAL_REQUIREMENTS)


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: User,
    expected_version: int,
    reporter: dict | None = None,
    title: str = UNCHANGED,
    chronology: str = UNCHANGED,
    occurred_on: date | None = UNCHANGED,
    district: Region | None = UNCHANGED,
    place: str = UNCHANGED,
    known_on: date = UNCHANGED,
    received_at: datetime = UNCHANGED,
    assignee: User | None = UNCHANGED,
    req_reporter_identity: bool = UNCHANGED,
    req_reported_identity: bool = UNCHANGED,
    req_signature: bool = UNCHANGED,
    req_time_place: bool = UNCHANGED,
    req_description: bool = UNCHANGED,
    req_evidence: bool = UNCHANGED,
) -> Case:
    """Edit the description of a case (not its status); a field not given stays as it is. Deadlines that
    depend on a changed date are recomputed; the event lists what changed, old and new."""
    arguments = locals()
    given = {name: arguments[name] for name in EDITABLE_FIELDS if arguments[name] is not UNCHANGED}
    case = lock_case(case, expected_version, actor)
    if not case.is_open:
        raise CaseError(_("Perkara yang sudah diputus atau selesai tidak dapat diubah lagi."))
    if case.source == CaseSource.FINDING:
        given.pop("req_reporter_identity", None)
        given.pop("req_signature", None)
    if case.status != CaseStatus.RECEIVED:
        for name in REVIEW_FIELDS:
            if name in given and given[name] != getattr(case, name):
                raise CaseError(_("Data kajian awal tidak dapat diubah setelah perkara diregistrasi."))
    if any(name in given and not given[name].strip() for name in ("title", "chronology")):
        raise CaseError(_("Isi ringkasan dan kronologi perkara."))
    if "assignee" in given and given["assignee"] != case.assignee:
        _check_assignee(case.office, given["assignee"])
    if "district" in given and given["district"] != case.district:
        _check_district(case.office, given["district"])
    if {"known_on", "received_at", "occurred_on"} & set(given):
        check_case_dates(
            known_on=given.get("known_on", case.known_on),
            received_at=given.get("received_at", case.received_at),
            occurred_on=given.get("occurred_on", case.occurred_on),
        )
    changes = {}
    for name, value in given.items():
        old = getattr(case, name)
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
            setattr(case, name, value)
    reporter_changes = {}
    if reporter is not None and case.source == CaseSource.REPORT:
        record = case.reporter
        for name, value in reporter.items():
            if name in Reporter.FIELDS and getattr(record, name) != value:
                reporter_changes[name] = True  # values of the reporter's identity stay out of the timeline
                setattr(record, name, value)
        if reporter_changes:
            record.save()
    if not changes and not reporter_changes:
        return case
    region = case.office.region
    if "known_on" in changes:
        case.report_due = deadlines.report_due(case.election, case.source, case.known_on, region)
    if "received_at" in changes:
        case.review_due = deadlines.review_due(case.election, case.received_at, region)
    case.req_within_time = not case.filed_late
    _save(case, [*changes, "report_due", "review_due", "req_within_time"])
    record_event(case, actor, "case.updated", changes=changes, reporter_changed=sorted(reporter_changes))
    return case


# --- Workflow ------------------------------------------------------------------------------------------

Guard = Callable[[Case, dict], str | None]  # returns the reason for refusal, or None


def _guard_requirements(case: Case, params: dict) -> str | None:
    missing = [label for _f, label, met in case.requirements if not met]
    if missing:
        return _("Syarat belum terpenuhi: %(missing)s. Centang syarat yang sudah diperiksa di “Ubah data”.") % {
            "missing": ", ".join(missing)
        }
    return None


def _guard_in_time(case: Case, params: dict) -> str | None:
    if case.filed_late:
        return _(
            "Laporan diterima %(received)s, melewati batas lapor %(due)s: perkara ini tidak dapat diregistrasi. "
            "Catat sebagai tidak diregistrasi dengan alasannya."
        ) % {
            "received": formats.date_format(case.received_on, "DATE_FORMAT"),
            "due": formats.date_format(case.report_due, "DATE_FORMAT"),
        }
    return None


def _guard_has_subject(case: Case, params: dict) -> str | None:
    if not case.subjects.exists():
        return _("Tambahkan sedikitnya satu terlapor sebelum memutus perkara.")
    return None


def _guard_subjects_decided(case: Case, params: dict) -> str | None:
    if case.subjects.filter(outcome=SubjectOutcome.PENDING).exists():
        return _("Tetapkan hasil untuk setiap terlapor sebelum memutus: putusan perkara diturunkan dari hasil mereka.")
    return None


def _guard_target_office(case: Case, params: dict) -> str | None:
    target = params.get("handed_over_to")
    if target is None:
        return _("Pilih kantor tujuan pelimpahan.")
    if target.pk == case.office_id:
        return _("Kantor tujuan pelimpahan harus kantor lain.")
    if not related_offices(case.office).filter(pk=target.pk).exists():
        return _("Perkara hanya dapat dilimpahkan ke kantor di atas atau di bawah kantor ini.")
    return None


def related_offices(office: Office):
    """Offices a case can be handed to: those above the office (the province) or below it (kecamatan)."""
    from django.db.models import Q

    code = office.region.code
    return (
        Office.objects.filter(Q(region__code__in=office.region.ancestor_codes) | Q(region__code__startswith=f"{code}."))
        .exclude(pk=office.pk)
        .select_related("region")
    )


FORWARDED_OUTCOMES = (CaseOutcome.OTHER_LAW, CaseOutcome.CRIME)


def _guard_closable(case: Case, params: dict) -> str | None:
    if case.status == CaseStatus.DECIDED and case.outcome in FORWARDED_OUTCOMES:
        return _("Perkara dengan putusan ini diteruskan dulu; perkara ditutup setelah semua penerusannya selesai.")
    if case.status == CaseStatus.REFERRED and params.get("open_referrals", 0):
        return _("Masih ada penerusan yang belum selesai; perkara ditutup setelah semuanya selesai.")
    if case.status == CaseStatus.REFERRED and not params.get("consequence_of"):
        return _("Perkara yang diteruskan ditutup otomatis saat penerusan terakhirnya selesai.")
    return None


def _guard_not_referred(case: Case, params: dict) -> str | None:
    if case.status == CaseStatus.REFERRED:
        return _("Perkara yang diteruskan ditutup otomatis saat penerusan terakhirnya selesai.")
    return None


def _guard_forwarded_outcome(case: Case, params: dict) -> str | None:
    if case.outcome not in FORWARDED_OUTCOMES:
        return _("Hanya perkara yang diputus untuk diteruskan yang dapat diteruskan.")
    return None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    reason_label: str | None = None  # a reason is required when set
    guards: tuple[Guard, ...] = field(default=())
    button: str = "primary"
    #: guards cheap enough to run while drawing the page (no query): a step they refuse is not offered
    offer_guards: tuple[Guard, ...] = field(default=())
    #: taken by another service (a referral sent, the last referral closed), never offered as a button
    internal: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "register",
            gettext_lazy("Registrasi"),
            (CaseStatus.RECEIVED,),
            CaseStatus.REGISTERED,
            PLENARY,
            guards=(_guard_in_time, _guard_requirements),
        ),
        Transition(
            "not_register",
            gettext_lazy("Tidak diregistrasi"),
            (CaseStatus.RECEIVED,),
            CaseStatus.NOT_REGISTERED,
            PLENARY,
            reason_label=gettext_lazy(
                "Alasan tidak diregistrasi (syarat yang tidak terpenuhi; dapat dilihat pelapor lewat kode pelacakan)"
            ),
            button="outline-danger",
        ),
        Transition(
            "start_review",
            gettext_lazy("Mulai klarifikasi"),
            (CaseStatus.REGISTERED,),
            CaseStatus.UNDER_REVIEW,
            CASE_WORKERS,
        ),
        Transition(
            "decide",
            gettext_lazy("Putus (pleno)"),
            (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW),
            CaseStatus.DECIDED,
            PLENARY,
            reason_label=gettext_lazy("Pertimbangan pleno"),
            guards=(_guard_has_subject, _guard_subjects_decided),
        ),
        Transition(
            "stop",
            gettext_lazy("Hentikan"),
            (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW),
            CaseStatus.STOPPED,
            PLENARY,
            reason_label=gettext_lazy("Alasan penghentian (dapat dilihat pelapor lewat kode pelacakan)"),
            button="outline-danger",
        ),
        Transition(
            "hand_over",
            gettext_lazy("Limpahkan"),
            (CaseStatus.RECEIVED, CaseStatus.REGISTERED),
            CaseStatus.HANDED_OVER,
            PLENARY,
            reason_label=gettext_lazy("Alasan pelimpahan"),
            guards=(_guard_target_office,),
            button="outline-secondary",
        ),
        Transition(
            "refer",
            gettext_lazy("Diteruskan"),
            (CaseStatus.DECIDED,),
            CaseStatus.REFERRED,
            PLENARY,
            guards=(_guard_forwarded_outcome,),
            internal=True,
        ),
        Transition(
            "close",
            gettext_lazy("Tutup perkara"),
            (CaseStatus.DECIDED, CaseStatus.REFERRED),
            CaseStatus.CLOSED,
            PLENARY,
            guards=(_guard_closable,),
            offer_guards=(_guard_closable, _guard_not_referred),
            button="outline-secondary",
        ),
    ]
}


def transitions_for(case: Case, user: User) -> list[Transition]:
    """The steps the user may try on the case now (guards are checked when the step is taken)."""
    return [
        t
        for t in TRANSITIONS.values()
        if case.status in t.sources
        and not t.internal
        and holds_role_for(user, case.office, t.roles)
        and not any(guard(case, {}) for guard in t.offer_guards)
    ]


def _take_register_number(case: Case, when: datetime) -> None:
    local = timezone.localtime(when)
    RegisterCounter.objects.get_or_create(office=case.office, year=local.year)
    counter = RegisterCounter.objects.select_for_update().get(office=case.office, year=local.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    case.number_year, case.number_seq = local.year, counter.last
    case.number = format_case_number(
        case.office.case_number_pattern,
        seq=counter.last,
        source="LP" if case.source == CaseSource.REPORT else "TM",
        region=case.office.region.code,
        month=local.month,
        year=local.year,
    )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: User,
    name: str,
    expected_version: int | None,
    reason: str = "",
    handed_over_to: Office | None = None,
    at: datetime | None = None,
    consequence_of: str = "",
    **data,
) -> Case:
    """Take step ``name``. ``consequence_of`` names the service that takes this step as the consequence of
    its own authorised change (the last referral closed closes the case): the role check is then that
    service's, and the event says so."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionNotAllowed(_("Langkah tidak dikenal."))
    case = lock_case(case, expected_version, None)  # the role is the step's own, checked below
    if consequence_of:
        data["consequence_of"] = consequence_of
    else:
        require_role(actor, case.office, transition.roles)
        if transition.internal:
            raise TransitionNotAllowed(_("Langkah ini terjadi otomatis dan tidak dapat diambil langsung."))
    if case.status not in transition.sources:
        raise TransitionNotAllowed(
            _("Langkah “%(step)s” tidak dapat dilakukan pada perkara berstatus “%(status)s”.")
            % {"step": transition.label, "status": case.get_status_display()}
        )
    reason = (reason or "").strip()
    if transition.reason_label and not reason:
        raise TransitionNotAllowed(_("Isi %(what)s.") % {"what": str(transition.reason_label).lower()})
    params = {"handed_over_to": handed_over_to, "consequence_of": consequence_of}
    if transition.target == CaseStatus.CLOSED:
        params["open_referrals"] = case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).count()
    for guard in transition.guards:
        refusal = guard(case, params)
        if refusal:
            raise TransitionNotAllowed(refusal)

    at = at or timezone.now()
    check_step_time(case, at, str(transition.label).lower())
    from_status = case.status
    case.status = transition.target
    case.status_reason = reason
    fields = ["status", "status_reason"]
    if name == "register":
        case.registered_at = at
        _take_register_number(case, case.registered_at)
        case.decision_due = deadlines.decision_due(
            case.election, timezone.localdate(case.registered_at), case.office.region, extended=False
        )
        fields += ["registered_at", "number", "number_year", "number_seq", "decision_due"]
        data.update(number=case.number, decision_due=case.decision_due.isoformat())
    elif name == "decide":  # the case's result follows from what was decided for each person
        case.outcome = case_outcome_of(case.subjects.values_list("outcome", flat=True))
        case.decided_at = at
        fields += ["outcome", "decided_at"]
        data.update(outcome=case.outcome)
    elif name == "hand_over":
        case.handed_over_to = handed_over_to
        fields += ["handed_over_to"]
        data.update(handed_over_to=handed_over_to.name)
        received = _hand_over(case, handed_over_to, actor, at)
        data.update(received_as=str(received.code))
    elif name in ("close", "not_register", "stop"):
        case.closed_at = at
        fields += ["closed_at"]
    _save(case, fields)
    record_event(
        case,
        actor,
        f"case.{name}",
        from_status=from_status,
        to_status=case.status,
        reason=reason,
        occurred_at=at,
        **data,
    )
    return case


def _hand_over(case: Case, office: Office, actor: User, at: datetime) -> Case:
    """The case as ``office`` receives it, in the hand-over's transaction: a case of its own (its register
    number, its clarification, its decision), with the same intake, reporter, subjects (their acts; no outcome
    yet) and evidence (the same stored files), linked to this one. The report keeps the day it was received
    (its time limit was judged on it); the initial review counts from the day the office receives it."""
    reporter = None
    if case.source == CaseSource.REPORT:
        reporter = {name: getattr(case.reporter, name) for name in Reporter.FIELDS}
    district = case.district
    if district is not None and not district.code.startswith(f"{office.region.code}."):
        district = None  # a kecamatan outside the receiving office's region
    intake = Intake(
        title=case.title,
        chronology=case.chronology,
        known_on=case.known_on,
        received_at=case.received_at,
        reporter=reporter,
        occurred_on=case.occurred_on,
        district=district,
        place=case.place,
        **{name: getattr(case, name) for name in Case.TICKED_REQUIREMENTS},
    )
    received = new_case(
        office=office,
        election=case.election,
        source=case.source,
        actor=actor,
        intake=intake,
        event="case.handed_in",
        event_at=at,
    )
    received.handed_over_from = case
    received.review_due = deadlines.review_due(case.election, at, office.region)
    received.save(update_fields=["handed_over_from", "review_due"])
    subjects = {}
    for subject in case.subjects.prefetch_related("violation_types"):
        copy = CaseSubject.objects.create(case=received, person_id=subject.person_id, note=subject.note)
        copy.violation_types.set(subject.violation_types.all())
        subjects[subject.pk] = copy
    kept = {f.attname for f in Evidence._meta.concrete_fields} - {
        "id", "code", "case_id", "subject_id", "uploaded_at", "integrity", "verified_at", "integrity_sha256"
    }  # fmt: skip
    Evidence.objects.bulk_create(
        Evidence(
            case=received,
            subject=subjects.get(item.subject_id),
            **{name: getattr(item, name) for name in kept},
        )
        for item in case.evidence.all()
    )
    staff = members_by_office([office.pk], [Role.KOORDINATOR, Role.PENGAWAS])[office.pk]
    queue(
        [
            Message(
                template="case_handed_in",
                key=f"case:{received.pk}:handed_in",
                context={
                    "title": received.title,
                    "office": office.name,
                    "from_office": case.office.name,
                    "review_due": received.review_due.isoformat(),
                },
                users=[*staff[Role.KOORDINATOR], *staff[Role.PENGAWAS]],
                url=reverse("cases:detail", args=[received.code]),
                office_id=office.pk,
            )
        ]
    )
    return received


@transaction.atomic
def case_extend(*, case: Case, actor: User, expected_version: int | None, reason: str) -> Case:
    """The one extension of the decision deadline, for more information (a plenary step)."""
    case = lock_case(case, expected_version, actor, PLENARY)
    if case.status not in (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW):
        raise TransitionNotAllowed(_("Batas putusan hanya dapat diperpanjang untuk perkara yang sedang ditangani."))
    if case.extended:
        raise TransitionNotAllowed(_("Batas putusan sudah pernah diperpanjang; perpanjangan hanya sekali."))
    if not (reason or "").strip():
        raise TransitionNotAllowed(_("Isi alasan perpanjangan."))
    old = case.decision_due
    case.extended = True
    case.decision_due = deadlines.decision_due(
        case.election, timezone.localdate(case.registered_at), case.office.region, extended=True
    )
    _save(case, ["extended", "decision_due"])
    record_event(
        case,
        actor,
        "case.extended",
        reason=reason.strip(),
        decision_due=[old.isoformat(), case.decision_due.isoformat()],
    )
    return case


@transaction.atomic
def case_assign(*, case: Case, actor: User, assignee: User | None, expected_version: int | None) -> Case:
    case = lock_case(case, expected_version, actor)
    _check_assignee(case.office, assignee)
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    _save(case, ["assignee"])
    record_event(case, actor, "case.assigned", assignee=assignee.display_name if assignee else None)
    _notify_assigned(case, actor)
    return case


# --- Soft deletion -------------------------------------------------------------------------------------


def deletion_refusal(case: Case) -> str | None:
    """Why the case cannot be deleted, or None. A case forwarded to an institution is that institution's
    matter too (it reads it through the API): it stays."""
    if case.referrals.exclude(closed_as=Referral.ClosedAs.WITHDRAWN).exists():
        return _(
            "Perkara ini memiliki penerusan ke lembaga; perkara yang sudah (atau akan) diteruskan tidak dapat "
            "dihapus. Batalkan dulu draf penerusannya bila perkara memang keliru dicatat."
        )
    return None


@transaction.atomic
def case_delete(*, case: Case, actor: User, reason: str, expected_version: int | None = None) -> Case:
    """Hide a case everywhere (lists, figures, reminders, exports, the API, the public status page), keeping
    it whole: only the case row is marked, and the reason and the actor go on its timeline. Coordinators and
    the office administrator only; a reason is required."""
    case = lock_case(case, expected_version, actor, DELETERS)
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Isi alasan penghapusan perkara."))
    refusal = deletion_refusal(case)
    if refusal:
        raise TransitionNotAllowed(refusal)
    case.deleted_at, case.deleted_by, case.deletion_reason = timezone.now(), actor, reason
    _save(case, ["deleted_at", "deleted_by", "deletion_reason"])
    record_event(case, actor, "case.deleted", reason=reason, status=case.status, number=case.number)
    return case


@transaction.atomic
def case_restore(*, case: Case, actor: User, reason: str, expected_version: int | None) -> Case:
    """Bring a deleted case back where it was, with the reason on its timeline."""
    case = (
        Case.all_objects.select_for_update(of=("self",))
        .select_related("office__region", "election__region")
        .get(pk=case.pk)
    )
    if expected_version is not None and case.version != expected_version:
        raise StaleVersion(case)
    require_role(actor, case.office, DELETERS)
    if not case.is_deleted:
        raise CaseError(_("Perkara ini tidak terhapus."))
    reason = (reason or "").strip()
    if not reason:
        raise CaseError(_("Isi alasan pemulihan perkara."))
    deleted = {"deleted_at": case.deleted_at.isoformat(), "deletion_reason": case.deletion_reason}
    case.deleted_at, case.deleted_by, case.deletion_reason = None, None, ""
    _save(case, ["deleted_at", "deleted_by", "deletion_reason"])
    record_event(case, actor, "case.restored", reason=reason, **deleted)
    return case


# --- Subjects ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """A person recorded with their first case (the person form's fields)."""

    name: str
    employment_type: str
    nip: str = ""
    position: str = ""
    rank: str = ""
    agency: Agency | None = None
    employer_note: str = ""
    address: str = ""


@transaction.atomic
def person_create(*, actor: User, office: Office, person: NewPerson) -> Person:
    require_role(actor, office, CASE_WORKERS)
    region = office.region
    if person.agency is not None:
        if not (person.agency.regency.code == region.code or person.agency.regency.code.startswith(f"{region.code}.")):
            raise CaseError(_("Instansi (OPD) yang dipilih bukan wilayah kantor ini."))
        region = person.agency.regency
    elif region.level == region.Level.PROVINCE:
        raise CaseError(_("Pilih instansi (OPD) agar kabupaten/kota terlapor diketahui."))
    if person.nip and person.employment_type in (EmploymentType.HONORER, EmploymentType.KEPALA_DESA):
        raise CaseError(_("Tenaga honorer dan kepala desa tidak memiliki NIP ASN; kosongkan isian ini."))
    nip = ""
    if person.nip:
        try:
            parsed = parse_nip(person.nip)
            check_nip_kind(parsed, person.employment_type)
            nip = parsed.value
        except ValidationError as error:
            raise CaseError(" ".join(error.messages)) from None
    record = Person(
        region=region,
        created_by=actor,
        name=person.name,
        nip=nip,
        employment_type=person.employment_type,
        position=person.position,
        rank=person.rank,
        agency=person.agency,
        employer_note=person.employer_note,
        address=person.address,
    )
    try:
        record.full_clean()
    except ValidationError as error:
        raise CaseError(" ".join(message for messages in error.message_dict.values() for message in messages)) from None
    record.save()
    return record


@transaction.atomic
def subject_add(
    *, case: Case, actor: User, person: Person, violation_types: Iterable[ViolationType] = (), note: str = ""
) -> CaseSubject:
    case = lock_case(case, None, actor)
    if not case.is_open:
        raise CaseError(_("Terlapor hanya dapat ditambahkan pada perkara yang masih ditangani."))
    if case.subjects.filter(person=person).exists():
        raise CaseError(_("%(name)s sudah menjadi terlapor dalam perkara ini.") % {"name": person.name})
    subject = CaseSubject.objects.create(case=case, person=person, note=note)
    types = list(violation_types)
    subject.violation_types.set(types)
    record_event(
        case,
        actor,
        "subject.added",
        person=person.name,
        person_code=str(person.code),
        violation_types=[t.code for t in types],
    )
    return subject


@transaction.atomic
def subject_add_new_person(
    *, case: Case, actor: User, person: NewPerson, violation_types: Iterable[ViolationType] = (), note: str = ""
) -> CaseSubject:
    """Record a new person and add them to the case in one transaction: a person is only kept as a subject."""
    person = person_create(actor=actor, office=case.office, person=person)
    return subject_add(case=case, actor=actor, person=person, violation_types=violation_types, note=note)


@transaction.atomic
def subject_update(
    *,
    subject: CaseSubject,
    actor: User,
    violation_types: Iterable[ViolationType],
    outcome: str,
    note: str = "",
) -> CaseSubject:
    case = lock_case(subject.case, None, actor)
    if not case.is_open:
        raise CaseError(_("Perkara sudah diputus: hasil terlapor tidak dapat diubah lagi."))
    if outcome not in SubjectOutcome.values:
        raise CaseError(_("Pilih hasil terlapor dari daftar."))
    if outcome != SubjectOutcome.PENDING and case.status == CaseStatus.RECEIVED:
        raise CaseError(_("Hasil terlapor ditetapkan setelah perkara diregistrasi dan diklarifikasi."))
    types = list(violation_types)
    if outcome == SubjectOutcome.PROVEN and not types:
        raise CaseError(_("Pilih jenis pelanggaran yang terbukti."))
    # compared with what is stored, not with the caller's object (a bound ModelForm has already set the new
    # values on it, so the change would go unrecorded)
    stored = CaseSubject.objects.filter(pk=subject.pk).values_list("outcome", "note").get()
    before = (sorted(subject.violation_types.values_list("code", flat=True)), *stored)
    subject.outcome, subject.note = outcome, note
    subject.save(update_fields=["outcome", "note"])
    subject.violation_types.set(types)
    after = (sorted(t.code for t in types), outcome, note)
    if before != after:
        record_event(
            case,
            actor,
            "subject.updated",
            person=subject.person.name,
            violation_types=after[0],
            outcome=outcome,
        )
    return subject


@transaction.atomic
def subject_remove(*, subject: CaseSubject, actor: User) -> None:
    case = lock_case(subject.case, None, actor)
    if case.status != CaseStatus.RECEIVED and case.status != CaseStatus.REGISTERED:
        raise CaseError(_("Terlapor tidak dapat dihapus setelah klarifikasi dimulai."))
    name = subject.person.name
    subject.delete()
    record_event(case, actor, "subject.removed", person=name)


# --- Clarification -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    case: Case,
    actor: User,
    invitee_role: str,
    invitee_name: str,
    scheduled_at: datetime,
    place: str,
    subject: CaseSubject | None = None,
) -> ClarificationMeeting:
    case = lock_case(case, None, actor)
    if case.status not in (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW):
        raise CaseError(_("Klarifikasi hanya untuk perkara yang sudah diregistrasi dan belum diputus."))
    if subject is not None and subject.case_id != case.pk:
        raise CaseError(_("Terlapor yang dipilih bukan terlapor perkara ini."))
    if subject is not None and invitee_role != ClarificationMeeting.InviteeRole.REPORTED:
        raise CaseError(_("Pilih terlapor hanya bila yang diundang adalah terlapor."))
    if scheduled_at < case.received_at:
        raise CaseError(_("Klarifikasi tidak dapat dijadwalkan sebelum perkara diterima."))
    if invitee_role not in ClarificationMeeting.InviteeRole.values:
        raise CaseError(_("Pilih siapa yang diundang."))
    if not invitee_name.strip() or not place.strip():
        raise CaseError(_("Isi nama yang diundang dan tempat klarifikasi."))
    if case.status == CaseStatus.REGISTERED:
        # the first clarification starts the review: the workflow's own step, with its event
        case = case_transition(
            case=case,
            actor=actor,
            name="start_review",
            expected_version=None,
            at=min(scheduled_at, timezone.now()),  # a meeting entered after the fact started the review then
            consequence_of="meeting.scheduled",
        )
    meeting = ClarificationMeeting.objects.create(
        case=case,
        invitee_role=invitee_role,
        invitee_name=invitee_name.strip(),
        subject=subject,
        scheduled_at=scheduled_at,
        place=place.strip(),
        created_by=actor,
    )
    record_event(
        case,
        actor,
        "meeting.scheduled",
        invitee=meeting.invitee_name,
        role=invitee_role,
        scheduled_at=scheduled_at.isoformat(),
        place=meeting.place,
    )
    return meeting


@transaction.atomic
def meeting_record(*, meeting: ClarificationMeeting, actor: User, status: str, minutes: str) -> ClarificationMeeting:
    case = lock_case(meeting.case, None, actor)
    if not case.is_open:
        raise CaseError(_("Perkara sudah diputus atau selesai: hasil klarifikasi tidak dapat diubah lagi."))
    if status not in ClarificationMeeting.Status.values:
        raise CaseError(_("Pilih status klarifikasi."))
    if status == ClarificationMeeting.Status.HELD and not minutes.strip():
        raise CaseError(_("Isi berita acara klarifikasi yang dilaksanakan."))
    if status == ClarificationMeeting.Status.HELD and meeting.scheduled_at > timezone.now():
        raise CaseError(_("Klarifikasi yang dijadwalkan di masa depan belum dapat dicatat sebagai dilaksanakan."))
    meeting.status, meeting.minutes = status, minutes.strip()
    meeting.save(update_fields=["status", "minutes"])
    held = meeting.scheduled_at if status == ClarificationMeeting.Status.HELD else None  # held when scheduled
    record_event(case, actor, "meeting.recorded", occurred_at=held, invitee=meeting.invitee_name, status=status)
    return meeting


def _notify_assigned(case: Case, actor) -> None:
    """Tell the new person in charge of a case (queued with the change; sent after it commits)."""
    if not case.assignee_id or case.assignee_id == actor.pk:
        return
    queue(
        [
            Message(
                template="case_assigned",
                key=f"case:{case.pk}:assigned:{case.assignee_id}:v{case.version}",
                context={
                    "number": case.number,
                    "title": case.title,
                    "status": case.get_status_display(),
                    "by": actor.display_name,
                    "due": case.active_due.isoformat() if case.active_due else "",
                },
                users=[case.assignee_id],
                url=reverse("cases:detail", args=[case.code]),
                office_id=case.office_id,
            )
        ]
    )
