"""Reports from the public (no account): the service that takes one in, the rate limit per address, the
tracking code, and the stage a tracking code may show.

A report becomes a *laporan* awaiting its initial review in the office of the regency where it happened, with
the reporter's identity protected as every laporan's is. The same post reported again while its case is open
is linked to that case (with its own tracking code and reporter) rather than making another case.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.evidence import services as evidence_services
from cases.evidence.links import normalize_url
from cases.models import (
    OPEN_STATUSES,
    Case,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    Evidence,
    PublicReport,
    ReporterIdentity,
)
from cases.workflow import services
from netralitas.accounts.models import Role
from netralitas.accounts.selectors import members_by_office
from netralitas.clientip import client_ip
from netralitas.files import discard_files_on_failure, shown_name
from netralitas.notify.services import Message, queue
from netralitas.reference.models import Election, Office, Region

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed from paper
MAX_FILES = 5
MAX_LINKS = 10


class RateLimited(services.CaseError):
    def __init__(self, again_at: datetime):
        self.again_at = again_at
        super().__init__(
            _(
                "Terlalu banyak laporan dari alamat jaringan ini dalam satu jam. Laporan Anda belum terkirim dan "
                "isian Anda tetap di bawah; kirim lagi setelah pukul %(time)s WIB."
            )
            % {"time": formats.time_format(timezone.localtime(again_at), "H.i")}
        )


def new_tracking_code() -> str:
    """12 characters from 32 (60 bits): guessing one is hopeless, reading one aloud is easy."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


CODE_PATTERN = re.compile(rf"^[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}$")


def normalize_code(text: str) -> str | None:
    """The code in its written form (upper case, dashes), or None when it cannot be one."""
    raw = "".join(c for c in (text or "")[:40].upper() if c.isalnum())
    code = f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}" if len(raw) == 12 else ""
    return code if CODE_PATTERN.match(code) else None


def client_hash(request) -> str:
    """A keyed hash of the sender's address. An IPv6 address counts by its /64 (one subscriber's network,
    which it can roam freely); an IPv4 address by itself."""
    address = client_ip(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        pass
    else:
        if parsed.version == 6:
            address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def offices_taking_reports():
    """The regency offices the public can report to."""
    return Office.objects.filter(region__level=Region.Level.REGENCY).select_related("region").order_by("region__name")


def election_for(office: Office, on: date | None = None) -> Election | None:
    """The election a report to this office is about: of the regency or a region above it, the one whose
    voting day is nearest to today (the coming one before the past one on a tie)."""
    on = on or timezone.localdate()
    elections = list(
        Election.objects.filter(
            Q(region__code__in=office.region.ancestor_codes) | Q(region__isnull=True)
        ).select_related("region")
    )
    if not elections:
        return None
    # nearest voting day; on a tie the coming one, then the most local (a regency's before its province's,
    # before a national one), then the lowest id, so the choice never depends on the database's order
    return min(
        elections,
        key=lambda e: (abs((e.voting_day - on).days), e.voting_day < on, -len(e.region.code if e.region else ""), e.pk),
    )


def limit_reached(hashed: str, now: datetime | None = None) -> datetime | None:
    """When the address may report again, if it has reached the hourly limit; None when it may now."""
    now = now or timezone.now()
    window = now - timedelta(hours=1)
    # used by: publicreport_rate_limit_idx
    recent = list(
        PublicReport.objects.filter(client_hash=hashed, submitted_at__gt=window)
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)[: settings.PUBLIC_REPORT_LIMIT_PER_HOUR]
    )
    if len(recent) < settings.PUBLIC_REPORT_LIMIT_PER_HOUR:
        return None
    return recent[0] + timedelta(hours=1)


REPORTED_FIELDS = ("reported_name", "reported_position", "reported_address", "reported_phone")


@discard_files_on_failure
@transaction.atomic
def public_report_submit(
    *,
    office: Office,
    reporter: dict,
    reported: dict,
    title: str,
    chronology: str,
    place: str,
    occurred_on: date | None,
    known_on: date,
    witnesses: str = "",
    consent_contact: bool = False,
    uploads: list[File] = (),
    links: list[str] = (),
    client: str,
    now: datetime | None = None,
) -> PublicReport:
    """Take in a report from the public page. Refused (``RateLimited``) past the hourly limit of its address,
    the earlier reports kept; files are checked as staff uploads are, before anything is written."""
    now = now or timezone.now()
    _lock(f"public-report-client:{client}")  # two submits from one address at once are counted one after the other
    again_at = limit_reached(client, now)
    if again_at:
        raise RateLimited(again_at)
    if len(uploads) > MAX_FILES:
        raise services.CaseError(_("Paling banyak %(n)d berkas.") % {"n": MAX_FILES})
    for upload in uploads:
        evidence_services.check_upload(upload)
    election = election_for(office, timezone.localdate(now))
    if election is None:
        raise services.CaseError(
            _("Belum ada pemilihan yang tercatat untuk daerah ini. Sampaikan laporan langsung ke kantor Bawaslu.")
        )
    normalized = {normalize_url(link) for link in links}
    for url in sorted(normalized):  # the same post reported twice at once: the second waits and links
        _lock(f"public-report-post:{office.pk}:{url}")
    existing = (
        Case.objects.select_for_update(of=("self",))
        .filter(office=office, status__in=OPEN_STATUSES, evidence__url_normalized__in=normalized)
        .order_by("received_at")
        .first()
        if normalized
        else None
    )
    identity = {k: (reporter.get(k) or ("" if k != "birth_date" else None)) for k in ReporterIdentity.FIELDS}
    if existing is None:
        case = services.new_case(
            office=office,
            election=election,
            source=CaseSource.REPORT,
            actor=None,
            intake=services.Intake(
                title=title,
                chronology=chronology,
                known_on=known_on,
                received_at=now,
                reporter=identity,
                occurred_on=occurred_on,
                place=place,
                req_reporter_identity=bool(identity["name"] and identity["address"]),
                req_reported_identity=bool(reported.get("reported_name") and reported.get("reported_address")),
                req_time_place=bool(occurred_on and place),
                req_description=bool(chronology.strip()),
                req_evidence=bool(uploads or links),
            ),
            event="public_report.received",
        )
    else:
        case = existing
    report = PublicReport.objects.create(
        tracking_code=_unique_code(),
        case=case,
        linked=existing is not None,
        consent_contact=consent_contact,
        witnesses=witnesses,
        title=title,
        chronology=chronology,
        place=place,
        occurred_on=occurred_on,
        known_on=known_on,
        client_hash=client,
        **identity,
        **{k: reported.get(k, "") for k in REPORTED_FIELDS},
    )
    if existing is not None:
        services.record_event(
            case,
            None,
            "public_report.linked",
            tracking_code=report.tracking_code,
            reason=_("Laporan daring lain atas unggahan yang sama."),
        )
    # A file stored here and then the transaction rolled back (a later file refused, the disk full on the
    # next one, the database gone at COMMIT) is deleted again: see discard_files_on_failure.
    seen: set[str] = set()
    description = _("Dari laporan daring %(code)s") % {"code": report.tracking_code}
    for upload in uploads:
        digest = evidence_services.upload_digest(upload)
        if digest in seen or case.evidence.filter(sha256=digest).exists():
            continue  # the same file twice, or already evidence of the case this report joins
        seen.add(digest)
        typed = Evidence(kind=_evidence_kind(evidence_services.check_upload(upload)), description=description)
        evidence_services.attach_evidence(case=case, uploaded_by=None, evidence=typed, upload=upload)
    for link in links:
        if not case.evidence.filter(url_normalized=normalize_url(link)).exists():
            typed = Evidence(kind=Evidence.Kind.LINK, url=link, description=description)
            evidence_services.attach_evidence(case=case, uploaded_by=None, evidence=typed)
    _tell(report, case, office)
    return report


def _lock(name: str) -> None:
    """A transaction-long lock on a name (a PostgreSQL advisory lock)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])


def _evidence_kind(mime_type: str) -> str:
    if mime_type.startswith("image/"):
        return Evidence.Kind.SCREENSHOT
    if mime_type.startswith("video/"):
        return Evidence.Kind.VIDEO
    return Evidence.Kind.DOCUMENT


def _unique_code() -> str:
    while True:
        code = new_tracking_code()
        if not PublicReport.objects.filter(tracking_code=code).exists():
            return code


def _tell(report: PublicReport, case: Case, office: Office) -> None:
    staff = members_by_office([office.pk], [Role.KOORDINATOR, Role.PENGAWAS])[office.pk]
    status_url = reverse("cases:public_status", args=[report.tracking_code])
    messages = [
        Message(
            template="public_report_new",
            key=f"public_report:{report.pk}:staff",
            context={
                "title": report.title or case.title,
                "linked": report.linked,
                "number": case.number,
                "review_due": case.review_due.isoformat(),
                "office": office.name,
            },
            users=[*staff[Role.KOORDINATOR], *staff[Role.PENGAWAS]],
            url=reverse("cases:detail", args=[case.code]),
            office_id=office.pk,
        )
    ]
    if report.email:
        messages.append(
            Message(
                template="public_report_receipt",
                key=f"public_report:{report.pk}:receipt",
                # nothing the sender typed: a receipt to an address anyone may type carries no text of theirs
                context={
                    "tracking_code": report.tracking_code,
                    "office": office.name,
                    "submitted_at": timezone.localtime(report.submitted_at).isoformat(),
                },
                emails=[report.email],
                url=status_url,
                office_id=office.pk,
            )
        )
    queue(messages)


# --- What the public sees -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStage:
    key: str
    label: str
    explanation: str
    reason: str = ""
    css: str = "secondary"


def public_stage(case: Case) -> PublicStage:
    """The stage a tracking code shows: never staff names, people reported, or internal notes. The reason is
    shown only where the law has the office announce it (not registered, stopped)."""
    status = case.status
    if status == CaseStatus.RECEIVED:
        return PublicStage(
            "review",
            _("Dalam kajian awal"),
            _("Laporan diterima dan sedang diperiksa syarat formal dan materielnya (kajian awal)."),
            css="info",
        )
    if status in (CaseStatus.REGISTERED, CaseStatus.UNDER_REVIEW):
        return PublicStage(
            "registered",
            _("Diregistrasi"),
            _("Laporan memenuhi syarat dan dicatat dalam buku register; sedang diklarifikasi dan dikaji."),
            css="primary",
        )
    if status == CaseStatus.NOT_REGISTERED:
        return PublicStage(
            "not_registered",
            _("Tidak diregistrasi"),
            _("Laporan tidak memenuhi syarat untuk diregistrasi."),
            reason=case.status_reason,
            css="warning",
        )
    if status == CaseStatus.STOPPED:
        return PublicStage(
            "stopped", _("Dihentikan"), _("Penanganan laporan dihentikan."), reason=case.status_reason, css="warning"
        )
    if status == CaseStatus.HANDED_OVER:
        return PublicStage(
            "handed_over",
            _("Dilimpahkan"),
            _("Laporan dilimpahkan ke %(office)s, yang menanganinya lebih lanjut.")
            % {"office": case.handed_over_to.name if case.handed_over_to_id else _("kantor lain")},
        )
    if status == CaseStatus.DECIDED:
        return PublicStage("decided", _("Diputus"), _("Rapat pleno sudah memutus laporan ini."), css="success")
    if status == CaseStatus.CLOSED and not case.referrals.exists():
        if case.outcome == CaseOutcome.NOT_A_VIOLATION:
            return PublicStage(
                "closed", _("Selesai"), _("Rapat pleno memutus bahwa laporan ini bukan pelanggaran."), css="success"
            )
        return PublicStage("closed", _("Selesai"), _("Penanganan laporan ini sudah selesai."), css="success")
    return PublicStage(
        "forwarded",
        _("Diteruskan"),
        _("Hasil penanganan diteruskan kepada instansi yang berwenang untuk ditindaklanjuti."),
        css="success",
    )


def reports_for_code(code: str):
    normalized = normalize_code(code)
    if normalized is None:
        return PublicReport.objects.none()
    # a deleted case's reports are not found, as if they had never been made
    return PublicReport.objects.filter(tracking_code=normalized, case__deleted_at__isnull=True).select_related(
        "case__office__region", "case__handed_over_to"
    )


def tracking_code_known(code: str) -> bool:
    """Whether a tracking code names a report whose status may be shown."""
    return reports_for_code(code).exists()


# --- Files kept across a refused submit ------------------------------------------------------------------
# A browser cannot fill a file field again, so the files of a refused submit (an error in another field,
# the rate limit) are kept in storage under a random folder, listed in a signed hidden field, and used on the
# next submit. Abandoned ones are deleted by the daily housekeeping (``purge_pending_uploads``).

PENDING_PREFIX = "public-pending"
PENDING_MAX_AGE = timedelta(days=1)
PENDING_PATH = re.compile(rf"^{PENDING_PREFIX}/[0-9a-f]{{32}}/[0-9]{{2}}(_[A-Za-z0-9]{{7}})?$")


@dataclass(frozen=True)
class PendingFile:
    path: str
    name: str
    size: int


def stash_allowance(client: str, wanted: int) -> int:
    """How many of ``wanted`` files an address may still have kept this hour (files kept for submits that
    are never completed cost storage: bounded like the reports themselves)."""
    from django.core.cache import cache

    key = f"public-stash:{client}:{timezone.now():%Y%m%d%H}"
    budget = settings.PUBLIC_REPORT_LIMIT_PER_HOUR * MAX_FILES
    cache.add(key, 0, timeout=3700)
    used = cache.get(key, 0)
    allowed = max(0, min(wanted, budget - used))
    if allowed:
        cache.incr(key, allowed)
    return allowed


def stash_uploads(uploads, existing: list[PendingFile]) -> list[PendingFile]:
    from django.core.files.storage import default_storage

    folder = existing[0].path.rsplit("/", 1)[0] if existing else f"{PENDING_PREFIX}/{secrets.token_hex(16)}"
    kept = list(existing)
    try:
        for upload in uploads:
            path = default_storage.save(f"{folder}/{len(kept) + 1:02d}", upload)
            kept.append(PendingFile(path=path, name=shown_name(upload.name, limit=150), size=upload.size))
    except OSError:
        # the disk refused one: none of this submit's new files is kept (the earlier kept ones stay)
        discard_pending(kept[len(existing) :])
        raise
    return kept


def sign_pending(files: list[PendingFile]) -> str:
    from django.core import signing

    return signing.dumps([[f.path, f.name, f.size] for f in files], salt="public-pending") if files else ""


def unsign_pending(value: str) -> list[PendingFile]:
    from django.core import signing

    if not value:
        return []
    try:
        rows = signing.loads(value, salt="public-pending", max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return []
    return [
        PendingFile(path=p, name=n, size=s)
        for p, n, s in rows
        if isinstance(p, str) and p.startswith(PENDING_PREFIX + "/")
    ]


def open_pending(files: list[PendingFile]) -> list[File]:
    from django.core.files.storage import default_storage

    opened = []
    for pending in files:
        if default_storage.exists(pending.path):
            handle = File(default_storage.open(pending.path, "rb"), name=pending.name)
            opened.append(handle)
    return opened


def discard_pending(files: list[PendingFile]) -> None:
    from django.core.files.storage import default_storage

    for pending in files:
        default_storage.delete(pending.path)


def purge_pending_uploads(now: datetime | None = None) -> int:
    """Delete the kept files of submits that were never completed (older than a day)."""
    from django.core.files.storage import default_storage

    now = now or timezone.now()
    removed = 0
    try:
        folders, _files = default_storage.listdir(PENDING_PREFIX)
    except (FileNotFoundError, OSError):
        return 0
    for folder in folders:
        _subfolders, names = default_storage.listdir(f"{PENDING_PREFIX}/{folder}")
        paths = [f"{PENDING_PREFIX}/{folder}/{name}" for name in names]
        if all(default_storage.get_modified_time(p) < now - PENDING_MAX_AGE for p in paths):
            for path in paths:
                default_storage.delete(path)
                removed += 1
    return removed
