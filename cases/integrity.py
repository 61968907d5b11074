"""The files the case register stores, with what was recorded about them: evidence and the steps' signed
documents (SHA-256 at upload) and the referral letters and dossiers (SHA-256 when generated)."""

from collections.abc import Iterator

from cases.models import Evidence, Referral, StepDocument
from netralitas.files import StoredFile


def stored_files() -> Iterator[StoredFile]:
    evidence = Evidence.objects.exclude(file="").values_list("file", "sha256", "size", "case__number", "case__title")
    for name, sha256, size, number, title in evidence.order_by("pk").iterator(chunk_size=2000):
        yield StoredFile(name=name, label=f"Bukti perkara {number or title}", sha256=sha256, size=size)
    documents = StepDocument.objects.values_list("file", "sha256", "size", "kind", "case__number", "case__title")
    for name, sha256, size, kind, number, title in documents.order_by("pk").iterator(chunk_size=2000):
        label = f"{StepDocument.Kind(kind).label} perkara {number or title}"
        yield StoredFile(name=name, label=label, sha256=sha256, size=size)
    letters = Referral.objects.exclude(letter_pdf="").values_list(
        "letter_pdf", "letter_sha256", "dossier_pdf", "dossier_sha256", "letter_number"
    )
    for letter, letter_sha, dossier, dossier_sha, number in letters.order_by("pk").iterator(chunk_size=2000):
        yield StoredFile(name=letter, label=f"Surat penerusan {number}", sha256=letter_sha)
        if dossier:
            yield StoredFile(name=dossier, label=f"Berkas perkara (surat {number})", sha256=dossier_sha)
