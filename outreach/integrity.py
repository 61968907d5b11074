"""The files of the outreach calendar: materials and photos (size recorded at upload), sign-in sheets."""

from collections.abc import Iterator

from netralitas.files import StoredFile
from outreach.models import Attendance, Material


def stored_files() -> Iterator[StoredFile]:
    materials = Material.objects.values_list("file", "size", "title", "session__title")
    for name, size, title, session in materials.order_by("pk").iterator(chunk_size=2000):
        yield StoredFile(name=name, label=f"Materi “{title or name}” ({session})", size=size)
    sheets = Attendance.objects.exclude(sign_in_sheet="").values_list("sign_in_sheet", "session__title")
    for name, session in sheets.order_by("pk").iterator(chunk_size=2000):
        yield StoredFile(name=name, label=f"Daftar hadir ({session})")
