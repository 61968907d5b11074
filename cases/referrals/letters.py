"""The forwarding letter (surat penerusan) and the case dossier as PDF, rendered from templates by WeasyPrint.

WeasyPrint needs the Pango library of the operating system (Debian: libpango-1.0-0, libpangoft2-1.0-0); it is
imported only when a letter is made, so the rest of the application runs without it, and a missing library is
reported as a clear error instead of a crash at start-up."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case, CaseEvent, EmploymentType, Evidence, Referral, ReferralResponse
from netralitas.errors import ServiceError
from netralitas.reference.models import Institution


class LetterUnavailable(ServiceError):
    status = 503  # the server cannot make PDFs: not the user's fault


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


# What the letter calls the person's duty of neutrality: an honorer or a village head is not ASN.
NEUTRALITY_OF = {
    EmploymentType.PNS: "aparatur sipil negara",
    EmploymentType.PPPK: "aparatur sipil negara",
    EmploymentType.HONORER: "pegawai non-ASN (tenaga honorer)",
    EmploymentType.KEPALA_DESA: "kepala desa",
}


def addressee(referral: Referral) -> str:
    return addressee_of(referral.institution, referral.subject.person)


def addressee_of(institution: Institution, person) -> str:
    """Whom a letter about ``person`` to ``institution`` is addressed to: the head of the receiving body by the
    title it records (``Institution.head_title``: "Ketua Komisi Aparatur Sipil Negara", "Bupati Gunung Mas"),
    else "Kepala" and its name; for the employing agency, the head of the person's own agency and its regency
    (never the generic "employing agency")."""
    agency = person.agency
    if institution.kind == Institution.Kind.EMPLOYER and agency is not None:
        return f"Kepala {agency.name} {agency.regency.name}"
    if institution.head_title:
        return institution.head_title
    return f"Kepala {institution.name}" if institution.kind == Institution.Kind.OVERSIGHT else institution.name


def forwarding_letter(referral: Referral) -> bytes:
    case, person = referral.case, referral.subject.person
    html = render_to_string(
        "letters/forwarding_letter.html",
        {
            "referral": referral,
            "case": case,
            "subject": referral.subject,
            "person": person,
            "addressee": addressee(referral),
            "neutrality_of": NEUTRALITY_OF.get(person.employment_type, "pegawai"),
            "letterhead": _letterhead(case),
            "now": timezone.now(),
        },
    )
    return _pdf(html)


def escalation_letter(escalation, earlier) -> bytes:
    """The letter of a rung of the escalation ladder (``ReferralEscalation``), naming the rungs before it."""
    referral = escalation.referral
    case = referral.case
    recommendation = ReferralResponse.recommendations(referral.pk, referral.transferred_from_id).first()
    html = render_to_string(
        "letters/escalation_letter.html",
        {
            "escalation": escalation,
            "earlier": earlier,
            "referral": referral,
            "case": case,
            "person": referral.subject.person,
            "recommendation": recommendation,
            "letterhead": _letterhead(case),
        },
    )
    return _pdf(html)


def transfer_note(referral: Referral) -> bytes:
    """The note of a referral moved to a successor body by a declared succession (``Succession``): rendered
    from the rows it records, the same each time it is asked for."""
    succession, old = referral.succession, referral.transferred_from
    html = render_to_string(
        "letters/transfer_note.html",
        {
            "referral": referral,
            "old": old,
            "succession": succession,
            "case": referral.case,
            "person": referral.subject.person,
            "letterhead": _letterhead(referral.case),
        },
    )
    return _pdf(html)


# Steps of the case itself that the receiving body needs; edits and assignments stay internal.
DOSSIER_CASE_ACTIONS = {"case.created", "case.register", "case.extended", "case.decide", "case.refer"}


def dossier(referral: Referral) -> bytes:
    """The case as the receiving body needs it for this one subject: the case, this subject, the evidence
    about this subject or about the case as a whole, and the steps of the case and of this subject. Other
    subjects (possibly found not proven, or sent elsewhere) are left out."""
    case, subject = referral.case, referral.subject
    evidence = list(
        Evidence.objects.filter(case=case)
        .filter(Q(subject=subject) | Q(subject__isnull=True))
        .select_related("subject__person")
    )
    codes = {str(e.code) for e in evidence}
    events = [
        e
        for e in CaseEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "pk")
        if e.action in DOSSIER_CASE_ACTIONS
        or (e.action.startswith("subject.") and e.data.get("person") == subject.person.name)
        or (e.action == "evidence.added" and e.data.get("evidence") in codes)
        or (e.action.startswith("referral.") and e.data.get("referral") == str(referral.code))
        or (e.action == "document.added" and e.data.get("referral") in (None, str(referral.code)))
    ]
    html = render_to_string(
        "letters/dossier.html",
        {
            "referral": referral,
            "case": case,
            "subjects": case.subjects.filter(pk=subject.pk)
            .select_related("person__agency")
            .prefetch_related("violation_types"),
            "evidence": evidence,
            # the signed minutes of the case's steps (the clarification, the plenary), with their hashes
            "documents": case.documents.filter(referral__isnull=True).order_by("dated", "pk"),
            "events": events,
            "letterhead": _letterhead(case),
            "now": timezone.now(),
        },
    )
    return _pdf(html)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
