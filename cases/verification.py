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
of queries whatever the size of its slice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseEvent, Evidence, Integrity
from netralitas.accounts.models import Role
from netralitas.accounts.selectors import members_by_office
from netralitas.files import file_digest
from netralitas.notify.services import Message, queue

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
    "pk",
    "code",
    "file",
    "sha256",
    "original_name",
    "integrity",
    "integrity_sha256",
    "case_id",
    "case__code",
    "case__number",
    "case__title",
    "case__office_id",
    "case__deleted_at",
)


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
    found: dict[str, list[int]] = {Integrity.INTACT: [], Integrity.MISSING: []}
    altered: dict[str, list[int]] = {}  # what the content hashes to now -> rows
    events: list[CaseEvent] = []
    alerts: list[tuple[dict, str, str]] = []
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
            found[state].append(row["pk"])
        elif actual != row["sha256"]:
            state = Integrity.ALTERED
            altered.setdefault(actual, []).append(row["pk"])
        else:
            state = Integrity.INTACT
            found[state].append(row["pk"])
            result.intact += 1
        was_broken = row["integrity"] in (Integrity.ALTERED, Integrity.MISSING)
        if state == Integrity.INTACT:
            if was_broken:
                result.restored.append(row["pk"])
                events.append(_event(row, "evidence.integrity_restored", state, actual))
            continue
        if was_broken and row["integrity"] == state and row["integrity_sha256"] == (actual or ""):
            result.still_broken += 1
            continue
        (result.missing if state == Integrity.MISSING else result.altered).append(row["pk"])
        events.append(_event(row, "evidence.integrity_failed", state, actual))
        alerts.append((row, state, actual or ""))
    # one UPDATE per outcome, whatever the number of rows
    Evidence.objects.filter(pk__in=found[Integrity.INTACT]).update(
        integrity=Integrity.INTACT, integrity_sha256="", verified_at=now
    )
    Evidence.objects.filter(pk__in=found[Integrity.MISSING]).update(
        integrity=Integrity.MISSING, integrity_sha256="", verified_at=now
    )
    if altered:
        Evidence.objects.filter(pk__in=[pk for ids in altered.values() for pk in ids]).update(
            integrity=Integrity.ALTERED,
            integrity_sha256=DbCase(
                *(When(pk__in=ids, then=Value(actual)) for actual, ids in altered.items()), default=Value("")
            ),
            verified_at=now,
        )
    if events:
        CaseEvent.objects.bulk_create(events)
    if alerts:
        _alert(alerts, now)
    if result.altered or result.missing:
        logger.error(
            "evidence files not intact: %d altered, %d missing (of %d checked)",
            len(result.altered),
            len(result.missing),
            result.checked,
        )
    return result


def _event(row: dict, action: str, state: str, actual: str | None) -> CaseEvent:
    name = row["original_name"] or row["file"]
    if action == "evidence.integrity_restored":
        reason = _("Berkas “%(name)s” kembali cocok dengan sidik SHA-256 yang dicatat saat diunggah.") % {"name": name}
    elif state == Integrity.MISSING:
        reason = _("Berkas “%(name)s” hilang dari penyimpanan.") % {"name": name}
    else:
        reason = _("Berkas “%(name)s” tidak cocok dengan sidik SHA-256 yang dicatat saat diunggah.") % {"name": name}
    return CaseEvent(
        case_id=row["case_id"],
        actor=None,
        action=action,
        reason=reason,
        data={
            "evidence": str(row["code"]),
            "name": name,
            "state": state,
            "sha256": row["sha256"],
            "found_sha256": actual or "",
        },
    )


def _alert(alerts: list[tuple[dict, str, str]], now: datetime) -> None:
    offices = {row["case__office_id"] for row, _state, _actual in alerts}
    people = members_by_office(offices, [Role.ADMIN, Role.KOORDINATOR])
    day = timezone.localdate(now).isoformat()
    messages = []
    for row, state, actual in alerts:
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


def _try_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


def _unlock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
