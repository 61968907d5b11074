"""What an uploaded file really is, read from its first bytes (never from its name or the browser's word)."""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import filetype
from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage


def detect_mime_type(upload: File) -> str:
    """The MIME type read from the file's content; "" when the content is not recognised."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""


# --- Integrity of stored files ---------------------------------------------------------------------------
# Every app that stores files lists them through ``AppConfig.stored_files()`` (an iterator of StoredFile):
# this module checks them against their recorded SHA-256 (or, where none is recorded, their size) without
# knowing the apps.


@dataclass(frozen=True)
class StoredFile:
    name: str  # the name in the default storage
    label: str  # what it is, for the report
    sha256: str = ""  # recorded at upload, when the app keeps one
    size: int | None = None


@dataclass
class FileCheck:
    intact: int = 0
    unhashed: int = 0  # present (and of the recorded size), but no hash to compare with
    missing: list[StoredFile] = field(default_factory=list)
    altered: list[tuple[StoredFile, str]] = field(default_factory=list)  # with what the content hashes to now

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def stored_files() -> Iterator[StoredFile]:
    for config in apps.get_app_configs():
        if hasattr(config, "stored_files"):
            yield from config.stored_files()


def file_digest(name: str, storage=None) -> tuple[str, int]:
    """SHA-256 and size of a stored file, read in chunks (flat memory whatever its size)."""
    storage = storage or default_storage
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_stored_files(files: Iterable[StoredFile] | None = None, storage=None) -> FileCheck:
    """Read every stored file once (a file shared by several rows is read once) and compare."""
    check = FileCheck()
    seen: dict[str, bool] = {}
    for stored in stored_files() if files is None else files:
        if stored.name in seen:
            continue
        try:
            actual, size = file_digest(stored.name, storage)
        except (FileNotFoundError, OSError):
            check.missing.append(stored)
            seen[stored.name] = False
            continue
        if (stored.sha256 and actual != stored.sha256) or (
            not stored.sha256 and stored.size is not None and size != stored.size
        ):
            check.altered.append((stored, actual))
        elif stored.sha256:
            check.intact += 1
        else:
            check.unhashed += 1
        seen[stored.name] = True
    return check
