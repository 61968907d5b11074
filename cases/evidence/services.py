"""Every write of evidence: a file (stored once under its SHA-256, never modified) or a link attached to a
case, and what the scheduled file check finds. Same rules as the case services: one transaction, the case
locked, the event written beside the change."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import Value, When
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.evidence.links import normalize_url, platform_of
from cases.models import (
    Case,
    CaseEvent,
    CaseSubject,
    Evidence,
    Integrity,
    Referral,
    ReferralStatus,
    StepDocument,
)
from cases.workflow.services import (
    CLOCK_SKEW,
    CaseError,
    RejectedFile,
    StorageFailed,
    lock_case,
    moment_of,
    record_event,
)
from netralitas import files
from netralitas.accounts.models import Role, User
from netralitas.accounts.selectors import members_by_office
from netralitas.files import discard_files_on_failure, file_written
from netralitas.notify.services import Message, queue
from netralitas.reference.models import CandidatePair

logger = logging.getLogger(__name__)


def upload_digest(upload: File) -> str:
    """The SHA-256 an upload will be stored under."""
    return _hash_upload(upload)[0]


def _hash_upload(upload: File) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def store_upload(row, upload: File) -> bool:
    """Check ``upload`` (its type read from its content) and store it under its SHA-256 on ``row`` (evidence or
    a step's document: ``file``, ``sha256``, ``size``, ``mime_type``, ``original_name``), never writing the same
    bytes twice and never modifying a stored file. Returns whether the file was written now. Call from a
    service wrapped in ``discard_files_on_failure``: a file written for a change that fails is deleted."""
    row.mime_type = check_upload(upload)
    row.sha256, row.size = _hash_upload(upload)
    row.original_name = files.shown_name(upload.name)
    stored_name = f"evidence/{row.sha256[:2]}/{row.sha256}"
    if default_storage.exists(stored_name):
        row.file.name = stored_name  # the same bytes are already stored: never write them again
        return False
    try:
        row.file.save(row.sha256, upload, save=False)
    except OSError as error:
        logger.error("storage refused to write %s (%s): %s", stored_name, upload.name, error)
        raise StorageFailed(row.original_name) from error
    file_written(row.file.name)  # deleted again if the change that stored it fails
    return True


MAX_GESTURE_FINGERS = 10


@discard_files_on_failure
@transaction.atomic
def evidence_add(
    *,
    case: Case,
    actor: User,
    upload: File | None = None,
    kind: str,
    subject: CaseSubject | None = None,
    description: str = "",
    captured_at: datetime | None = None,
    url: str = "",
    platform: str = "",
    account: str = "",
    interactions: Sequence[str] = (),
    comment_text: str = "",
    candidate_pair: CandidatePair | None = None,
    gesture: str = "",
    gesture_fingers: int | None = None,
    with_whom: str = "",
) -> Evidence:
    """Attach a file (stored once under its SHA-256, never modified) or a link to a case. Adding evidence
    changes no field of the case, so no version is asked for: two people adding evidence at once both keep
    theirs (the case row is locked only to see that it is still open)."""
    case = lock_case(case, None, actor)
    if not case.is_open:
        raise CaseError(_("Perkara sudah diputus atau selesai: bukti tidak dapat ditambahkan lagi."))
    typed = Evidence(
        kind=kind,
        subject=subject,
        description=description,
        captured_at=captured_at,
        url=url,
        platform=platform,
        account=account,
        interactions=list(dict.fromkeys(interactions)),
        comment_text=comment_text,
        candidate_pair=candidate_pair,
        gesture=gesture,
        gesture_fingers=gesture_fingers,
        with_whom=with_whom,
    )
    return attach_evidence(case=case, uploaded_by=actor, evidence=typed, upload=upload)


def check_upload(upload: File) -> str:
    """The upload's MIME type read from its content, or RejectedFile when it is empty, too large, not a type
    evidence may have, or an office archive that would unpack far past its size. The same limits for staff,
    for the public report page and for outreach materials (``netralitas.files.check_upload``)."""
    try:
        return files.check_upload(upload)
    except files.RefusedFile as refused:
        raise RejectedFile(str(refused)) from None


def attach_evidence(
    *, case: Case, uploaded_by: User | None, evidence: Evidence, upload: File | None = None
) -> Evidence:
    """Store one piece of evidence (``evidence``: unsaved, holding what was typed) on a case the caller has
    locked and checked. Call inside its transaction."""
    evidence.case, evidence.uploaded_by = case, uploaded_by
    if evidence.subject is not None and evidence.subject.case_id != case.pk:
        raise CaseError(_("Terlapor yang dipilih bukan terlapor perkara ini."))
    if evidence.candidate_pair is not None and evidence.candidate_pair.election_id != case.election_id:
        raise CaseError(_("Pasangan calon yang dipilih bukan peserta pemilihan perkara ini."))
    if evidence.captured_at is not None and evidence.captured_at > timezone.now() + CLOCK_SKEW:
        raise CaseError(_("Waktu bukti diambil tidak boleh di masa depan."))
    if evidence.gesture_fingers is not None and not 0 <= evidence.gesture_fingers <= MAX_GESTURE_FINGERS:
        raise CaseError(_("Jumlah jari paling banyak 10."))
    if evidence.url:
        evidence.url_normalized = normalize_url(evidence.url)
        evidence.platform = evidence.platform or platform_of(evidence.url_normalized)
        if case.evidence.filter(url_normalized=evidence.url_normalized).exists():
            raise CaseError(_("Tautan ini sudah dicatat sebagai bukti perkara ini."))
    if upload is not None:
        sha256 = upload_digest(upload)
        if case.evidence.filter(sha256=sha256).exists():
            raise RejectedFile(
                _("Berkas “%(name)s” sama persis dengan bukti yang sudah ada di perkara ini.")
                % {"name": files.shown_name(upload.name)}
            )
        if store_upload(evidence, upload):
            # hashed as it was received and stored now: the periodic check starts from here
            evidence.integrity, evidence.verified_at = Integrity.INTACT, timezone.now()
    elif not evidence.url and evidence.kind != Evidence.Kind.WITNESS:
        raise CaseError(_("Unggah berkas atau isi tautan bukti."))
    try:
        evidence.full_clean(exclude=["file", "uploaded_by"])  # no uploader: sent from the public page
    except ValidationError as error:
        raise CaseError(" ".join(message for messages in error.message_dict.values() for message in messages)) from None
    evidence.save()
    record_event(
        case,
        uploaded_by,
        "evidence.added",
        evidence=str(evidence.code),
        kind=evidence.kind,
        sha256=evidence.sha256,
        url=evidence.url_normalized,
        name=evidence.original_name,
    )
    return evidence


# --- Documents of the steps ------------------------------------------------------------------------------


@discard_files_on_failure
@transaction.atomic
def document_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    upload: File,
    dated: date,
    number: str = "",
    referral: Referral | None = None,
) -> StepDocument:
    """Store the signed document a step produced, on the case (minutes) or on one of its referrals (the
    recommendation letter, the PPK's decree, the proof of the sanction carried out, Gakkumdu's documents),
    hashed and stored like evidence. Dated when it was signed: never in the future, never before the step it
    belongs to."""
    case = lock_case(case, None, actor)
    if kind not in StepDocument.kinds_for(referral):
        if referral is not None and referral.is_crime:
            raise CaseError(_("Penerusan tindak pidana mencatat dokumen Gakkumdu atau putusan pengadilan."))
        if referral is not None and kind == StepDocument.Kind.CRIME:
            raise CaseError(_("Dokumen Gakkumdu hanya untuk penerusan tindak pidana."))
        raise CaseError(_("Pilih jenis dokumen dari daftar."))
    if len(number) > 120:
        raise CaseError(_("Nomor dokumen paling banyak 120 karakter."))
    if upload is None:
        raise RejectedFile(_("Unggah berkas dokumennya (PDF atau hasil pindai)."))
    since, since_what = timezone.localdate(case.received_at), _("perkara diterima")
    if referral is not None:
        if referral.case_id != case.pk:
            raise CaseError(_("Penerusan ini bukan penerusan perkara ini."))
        if referral.status == ReferralStatus.DRAFT or referral.letter_date is None:
            raise CaseError(_("Dokumen penerusan diunggah setelah penerusannya dikirim."))
        since, since_what = referral.letter_date, _("tanggal surat penerusan")
    elif kind == StepDocument.Kind.PLENARY_MINUTES:
        if case.decided_at is None:
            raise CaseError(_("Berita acara pleno diunggah setelah perkara diputus."))
        since, since_what = timezone.localdate(case.decided_at), _("rapat pleno")
    if dated > timezone.localdate():
        raise CaseError(_("Tanggal dokumen tidak boleh di masa depan."), field="dated")
    if dated < since:
        raise CaseError(
            _("Tanggal dokumen tidak boleh sebelum %(what)s (%(day)s).")
            % {"what": since_what, "day": formats.date_format(since, "DATE_FORMAT")},
            field="dated",
        )
    document = StepDocument(case=case, referral=referral, kind=kind, number=number.strip(), dated=dated)
    document.uploaded_by = actor
    store_upload(document, upload)
    document.save()
    record_event(
        case,
        actor,
        "document.added",
        occurred_at=moment_of(dated),
        document=str(document.code),
        kind=kind,
        kind_label=str(document.get_kind_display()),
        number=document.number,
        sha256=document.sha256,
        name=document.original_name,
        **({"referral": str(referral.code), "person": referral.subject.person.name} if referral else {}),
    )
    return document


@dataclass(frozen=True)
class IntegrityFinding:
    """What the periodic check found for one evidence file: ``row`` holds the columns the check read
    (``cases.evidence.verification.FIELDS``), ``state`` an ``Integrity`` value, ``found_sha256`` what the file hashes
    to now ("" when missing), ``change`` "failed" (newly missing or altered: on the timeline and to the admins),
    "restored" (intact again: on the timeline) or "" (nothing to tell)."""

    row: dict
    state: str
    found_sha256: str = ""
    change: str = ""


@transaction.atomic
def evidence_integrity_record(*, findings: Sequence[IntegrityFinding], checked_at: datetime) -> None:
    """Store what a run of the file check found, in one transaction: the evidence rows (one UPDATE per outcome,
    whatever their number), an event on the case's timeline for each change, and a message to the office's
    administrators for each file newly found broken (their coordinators when the office has none)."""
    if any(f.state not in Integrity.values or f.change not in ("", "failed", "restored") for f in findings):
        raise ValueError("unknown integrity state or change")
    by_state: dict[str, list[int]] = {Integrity.INTACT: [], Integrity.MISSING: []}
    altered: dict[str, list[int]] = {}  # what the content hashes to now -> rows
    for finding in findings:
        if finding.state == Integrity.ALTERED:
            altered.setdefault(finding.found_sha256, []).append(finding.row["pk"])
        else:
            by_state[finding.state].append(finding.row["pk"])
    for state, ids in by_state.items():
        if ids:
            Evidence.objects.filter(pk__in=ids).update(integrity=state, integrity_sha256="", verified_at=checked_at)
    if altered:
        Evidence.objects.filter(pk__in=[pk for ids in altered.values() for pk in ids]).update(
            integrity=Integrity.ALTERED,
            integrity_sha256=DbCase(
                *(When(pk__in=ids, then=Value(actual)) for actual, ids in altered.items()), default=Value("")
            ),
            verified_at=checked_at,
        )
    changed = [f for f in findings if f.change]
    if changed:
        CaseEvent.objects.bulk_create(_integrity_event(f) for f in changed)
    failed = [f for f in findings if f.change == "failed"]
    if failed:
        _integrity_alert(failed, checked_at)


def _integrity_event(finding: IntegrityFinding) -> CaseEvent:
    row = finding.row
    name = row["original_name"] or row["file"]
    if finding.change == "restored":
        action = "evidence.integrity_restored"
        reason = _("Berkas “%(name)s” kembali cocok dengan sidik SHA-256 yang dicatat saat diunggah.") % {"name": name}
    elif finding.state == Integrity.MISSING:
        action = "evidence.integrity_failed"
        reason = _("Berkas “%(name)s” hilang dari penyimpanan.") % {"name": name}
    else:
        action = "evidence.integrity_failed"
        reason = _("Berkas “%(name)s” tidak cocok dengan sidik SHA-256 yang dicatat saat diunggah.") % {"name": name}
    return CaseEvent(
        case_id=row["case_id"],
        actor=None,
        action=action,
        reason=reason,
        data={
            "evidence": str(row["code"]),
            "name": name,
            "state": finding.state,
            "sha256": row["sha256"],
            "found_sha256": finding.found_sha256,
        },
    )


def _integrity_alert(failed: Sequence[IntegrityFinding], now: datetime) -> None:
    people = members_by_office({f.row["case__office_id"] for f in failed}, [Role.ADMIN, Role.KOORDINATOR])
    day = timezone.localdate(now).isoformat()
    messages = []
    for finding in failed:
        row, state, actual = finding.row, finding.state, finding.found_sha256
        office = people[row["case__office_id"]]
        if row["case__deleted_at"]:
            url = reverse("cases:deleted_detail", args=[row["case__code"]])
        else:
            url = reverse("cases:detail", args=[row["case__code"]]) + "#bukti"
        messages.append(
            Message(
                template="evidence_integrity",
                # the same broken file is announced once; again only after it was found intact in between
                key=f"evidence:{row['pk']}:integrity:{state}:{actual[:16] or 'none'}:{day}",
                context={
                    "state": state,
                    "name": row["original_name"] or row["file"],
                    "number": row["case__number"],
                    "title": row["case__title"],
                    "sha256": row["sha256"],
                    "found_sha256": actual,
                    "checked_at": now.isoformat(),
                },
                users=office[Role.ADMIN] or office[Role.KOORDINATOR],
                url=url,
                office_id=row["case__office_id"],
            )
        )
    queue(messages, now=now)
