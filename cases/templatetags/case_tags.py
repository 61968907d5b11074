from django import template
from django.utils.translation import gettext_lazy as _

from cases.models import CaseOutcome, CaseSource, CaseStatus

register = template.Library()

EVENT_LABELS = {
    "case.created": _("Perkara dicatat"),
    "public_report.received": _("Laporan daring diterima"),
    "public_report.linked": _("Laporan daring lain digabungkan"),
    "case.updated": _("Data perkara diubah"),
    "case.assigned": _("Penanggung jawab ditetapkan"),
    "case.register": _("Diregistrasi"),
    "case.not_register": _("Dinyatakan tidak diregistrasi"),
    "case.start_review": _("Klarifikasi dimulai"),
    "case.decide": _("Diputus dalam pleno"),
    "case.stop": _("Dihentikan"),
    "case.hand_over": _("Dilimpahkan"),
    "case.handed_in": _("Diterima sebagai pelimpahan"),
    "case.close": _("Ditutup"),
    "case.extended": _("Batas putusan diperpanjang"),
    "subject.added": _("Terlapor ditambahkan"),
    "subject.updated": _("Data terlapor diubah"),
    "subject.removed": _("Terlapor dihapus"),
    "evidence.added": _("Bukti ditambahkan"),
    "evidence.integrity_failed": _("Berkas bukti tidak lagi utuh"),
    "evidence.integrity_restored": _("Berkas bukti kembali utuh"),
    "case.deleted": _("Perkara dihapus"),
    "case.restored": _("Perkara dipulihkan"),
    "meeting.scheduled": _("Klarifikasi dijadwalkan"),
    "meeting.recorded": _("Hasil klarifikasi dicatat"),
    "case.refer": _("Diteruskan"),
    "referral.drafted": _("Draf penerusan disiapkan"),
    "referral.sent": _("Penerusan dikirim"),
    "referral.acknowledged": _("Penerusan diterima lembaga"),
    "referral.recommended": _("Rekomendasi diterima"),
    "referral.ppk_decided": _("Keputusan PPK dicatat"),
    "referral.executed": _("Sanksi dilaksanakan"),
    "referral.transferred": _("Penerusan dialihkan ke lembaga penerus"),
    "referral.closed": _("Penerusan selesai"),
    "referral.readdressed": _("Draf dialamatkan ke lembaga penerus"),
    "referral.escalated": _("Eskalasi: surat dikirim"),
    "referral.escalation_answer": _("Eskalasi: jawaban dicatat"),
    "referral.escalation_blocked": _("BKN memblokir data kepegawaian"),
    "referral.escalation_unblocked": _("BKN membuka blokir data kepegawaian"),
    "referral.crime.penyidikan": _("Gakkumdu: penyidikan dimulai"),
    "referral.crime.penuntutan": _("Gakkumdu: dilimpahkan ke penuntut umum"),
    "referral.crime.putusan": _("Putusan pengadilan dicatat"),
    "referral.crime.dihentikan": _("Gakkumdu: dihentikan"),
    "document.added": _("Dokumen diunggah"),
}
# Labels looked up by value. A model's get_FOO_display builds a dict of all its choices on every call, and
# hashing each lazy label translates it: a page of 25 cases spent some 250 translations on two badges.
STATUS_LABELS = dict(CaseStatus.choices)
OUTCOME_LABELS = dict(CaseOutcome.choices)
SOURCE_LABELS = dict(CaseSource.choices)


@register.filter
def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


@register.filter
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


@register.filter
def outcome_label(outcome: str) -> str:
    return OUTCOME_LABELS.get(outcome, outcome)


@register.filter
def source_label(source: str) -> str:
    return SOURCE_LABELS.get(source, source)


@register.filter
def filesize(size) -> str:
    if size is None:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1000
    return ""
