"""What the system says, to whom it may be switched off: the message templates and their categories.

Each template is three files under ``templates/notify/``: ``<name>.subject.txt``, ``<name>.txt`` and
``<name>.html``. A category groups templates for the preferences page: a user switches a category off per
channel.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORIES: dict[str, tuple[str, str]] = {
    # category: (label, explanation)
    "perkara": (
        _("Perkara baru dan yang diserahkan kepada Anda"),
        _(
            "Saat laporan daring atau pelimpahan masuk ke kantor Anda, dan saat Anda ditunjuk sebagai penanggung "
            "jawab perkara."
        ),
    ),
    "tenggat_perkara": (
        _("Tenggat perkara"),
        _(
            "Sehari kerja sebelum batas kajian awal atau batas putusan, pada hari batas, dan setiap hari kerja bila terlewat."
        ),
    ),
    "penerusan": (
        _("Penerusan: tanggapan dan batas waktu"),
        _(
            "Saat lembaga mengirim rekomendasi atau keputusan PPK melalui API, dan bila rekomendasi atau keputusan "
            "PPK belum datang setelah batasnya (lalu setiap minggu)."
        ),
    ),
    "sosialisasi": (
        _("Jadwal sosialisasi"),
        _("Tujuh hari dan satu hari sebelum kegiatan, dan dua jam sebelum mulai."),
    ),
    "notulen": (_("Notulen kegiatan"), _("Bila notulen belum diunggah dua hari setelah kegiatan.")),
    "apel": (_("Pesan apel/upacara"), _("Sehari sebelum apel: pokok pesan netralitas yang disampaikan.")),
    "keutuhan_bukti": (
        _("Keutuhan berkas bukti"),
        _(
            "Bila pemeriksaan berkala menemukan berkas bukti yang hilang atau tidak cocok lagi dengan sidik "
            "SHA-256-nya (untuk admin kantor)."
        ),
    ),
}

# template name -> category
TEMPLATES: dict[str, str] = {
    "account_invited": "akun",  # the invitation to set a password: a new account has no preferences to honour
    "case_assigned": "perkara",
    "case_handed_in": "perkara",
    "public_report_new": "perkara",
    "public_report_receipt": "perkara",  # to the reporter's address only: no account, no preferences
    "case_deadline": "tenggat_perkara",
    "referral_overdue": "penerusan",
    "referral_response": "penerusan",
    "referral_conflict": "penerusan",
    "succession_declared": "penerusan",
    "outreach_upcoming": "sosialisasi",
    "outreach_minutes_missing": "notulen",
    "ceremony_talking_points": "apel",
    "evidence_integrity": "keutuhan_bukti",
    # posted to an API client's webhook address, never to a person: only the subject file (the outbox's line)
    "referral_webhook": "webhook",
}


def category_of(template: str) -> str:
    return TEMPLATES[template]
