"""The forwarding letter (surat penerusan) and the case dossier as PDF, rendered from templates by WeasyPrint.

WeasyPrint needs the Pango library of the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is
imported only when a letter is made, so the rest of the application runs without it, and a missing library is
reported as a clear error instead of a crash at start-up."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case, CaseEvent, Evidence, Referral


class LetterUnavailable(Exception):
    pass


def available() -> bool:
    """Whether PDFs can be made here (WeasyPrint and the Pango library are installed)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise LetterUnavailable(
            "Pembuat PDF (WeasyPrint) tidak dapat dijalankan di server ini: pustaka Pango belum terpasang "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from exc
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _letterhead(case: Case) -> dict:
    office = case.office
    return {
        "title": settings.LETTERHEAD_TITLE,
        "office": office.name.upper(),
        "address": office.address,
        "contact": " · ".join(x for x in (office.phone, office.email) if x),
        "city": office.city or office.region.name,
    }


def forwarding_letter(referral: Referral) -> bytes:
    case = referral.case
    html = render_to_string(
        "letters/forwarding_letter.html",
        {
            "referral": referral,
            "case": case,
            "subject": referral.subject,
            "person": referral.subject.person,
            "letterhead": _letterhead(case),
            "now": timezone.now(),
        },
    )
    return _pdf(html)


def dossier(referral: Referral) -> bytes:
    case = referral.case
    html = render_to_string(
        "letters/dossier.html",
        {
            "referral": referral,
            "case": case,
            "subjects": case.subjects.select_related("person__agency").prefetch_related("violation_types"),
            "evidence": Evidence.objects.filter(case=case).select_related("subject__person"),
            "events": CaseEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "pk"),
            "letterhead": _letterhead(case),
            "now": timezone.now(),
        },
    )
    return _pdf(html)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
