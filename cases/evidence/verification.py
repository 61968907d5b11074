"""The periodic check of evidence files against the SHA-256 recorded when they were uploaded.

Beat runs ``cases.verify_evidence_files`` every 15 minutes; each run reads a slice of the stored files (at
most ``EVIDENCE_VERIFY_BATCH``), those never checked first, then those checked longest ago, and only files
not checked in the last ``EVIDENCE_VERIFY_DAYS``: at national scale (600,000 files) every file is read about
once a week, and a small office's files are not read again every quarter of an hour. Each row keeps when it
was last read and what was found (``Evidence.integrity``).

A file found missing or altered, when it was not already known as such, gets an event on its case's timeline
(``evidence.integrity_failed``) and a message to the office's administrators (inbox and e-mail; their
coordinators when the office has no administrator). A file already known as broken is not announced again
on the next runs; a file put back (restored from the backup) is marked intact again with an event
(``evidence.integrity_restored``), and announced again if it breaks again later. A run costs a fixed number
of queries whatever the size of its slice. This module reads the files; what it found is written by
``cases.evidence.services.evidence_integrity_record`` in one transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.evidence import services as evidence_services
from cases.models import Evidence, Integrity
from netralitas.files import file_digest

logger = logging.getLogger(__name__)

LOCK_KEY = 0x4E45_5456  # one run at a time (a PostgreSQL advisory lock)


@dataclass
class VerifyResult:
    checked: int = 0
    intact: int = 0
    altered: list[int] = field(default_factory=list)  # evidence ids newly found altered
    missing: list[int] = field(default_factory=list)  # evidence ids newly found missing
    still_broken: int = 0  # already known as broken: not announced again
    restored: list[int] = field(default_factory=list)  # known as broken, found intact again
    skipped: bool = False  # another run held the lock

    def as_dict(self) -> dict:
        return {
            "checked": self.checked,
            "intact": self.intact,
            "altered": len(self.altered),
            "missing": len(self.missing),
            "still_broken": self.still_broken,
            "restored": len(self.restored),
            "skipped": self.skipped,
        }


FIELDS = (
    "pk", "code", "file", "sha256", "original_name", "integrity", "integrity_sha256", "case_id", "case__code",
    "case__number", "case__title", "case__office_id", "case__deleted_at",
)  # fmt: skip


def due_for_check(now: datetime, limit: int) -> list[dict]:
    """Up to ``limit`` stored evidence files to read now: those never checked, then those not checked in the
    last ``EVIDENCE_VERIFY_DAYS``, the longest unchecked first. Two queries at most."""
    stored = Evidence.objects.exclude(file="")
    # used by: evidence_never_verified_idx
    rows = list(stored.filter(verified_at__isnull=True).order_by("id").values(*FIELDS)[:limit])
    if len(rows) < limit:
        stale = now - timedelta(days=settings.EVIDENCE_VERIFY_DAYS)
        # used by: evidence_verify_queue_idx
        rows += stored.filter(verified_at__lt=stale).order_by("verified_at", "id").values(*FIELDS)[: limit - len(rows)]
    return rows


def verify_evidence_batch(*, now: datetime | None = None, limit: int | None = None, storage=None) -> VerifyResult:
    now = now or timezone.now()
    limit = limit or settings.EVIDENCE_VERIFY_BATCH
    if not _try_lock():
        return VerifyResult(skipped=True)
    try:
        return _verify(now, limit, storage)
    finally:
        _unlock()


def _verify(now: datetime, limit: int, storage) -> VerifyResult:
    rows = due_for_check(now, limit)
    result = VerifyResult(checked=len(rows))
    if not rows:
        return result
    digests: dict[str, str | None] = {}  # a file shared by several rows is read once
    findings: list[evidence_services.IntegrityFinding] = []
    for row in rows:
        name = row["file"]
        if name not in digests:
            try:
                digests[name] = file_digest(name, storage)[0]
            except OSError:  # FileNotFoundError, or a file that cannot be read: missing as far as anyone can tell
                digests[name] = None
        actual = digests[name]
        if actual is None:
            state = Integrity.MISSING
        elif actual != row["sha256"]:
            state = Integrity.ALTERED
        else:
            state = Integrity.INTACT
            result.intact += 1
        was_broken = row["integrity"] in (Integrity.ALTERED, Integrity.MISSING)
        change = ""
        if state == Integrity.INTACT:
            if was_broken:
                result.restored.append(row["pk"])
                change = "restored"
        elif was_broken and row["integrity"] == state and row["integrity_sha256"] == (actual or ""):
            result.still_broken += 1
        else:
            (result.missing if state == Integrity.MISSING else result.altered).append(row["pk"])
            change = "failed"
        findings.append(
            evidence_services.IntegrityFinding(row=row, state=state, found_sha256=actual or "", change=change)
        )
    evidence_services.evidence_integrity_record(findings=findings, checked_at=now)
    if result.altered or result.missing:
        logger.error(
            "evidence files not intact: %d altered, %d missing (of %d checked)",
            len(result.altered),
            len(result.missing),
            result.checked,
        )
    return result


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


def _unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
