"""What an uploaded file really is, read from its first bytes (never from its name or the browser's word)."""

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import filetype
from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)


def detect_mime_type(upload: File) -> str:
    """The MIME type read from the file's content; "" when the content is not recognised."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""


# --- Files written by a unit of work that fails ---------------------------------------------------------
# A service that stores a file and then writes rows in a transaction can fail after the file is written (a
# later file refused, the disk full on the next one, the database gone at COMMIT): the rows roll back, the
# file would stay, belonging to nothing. A service decorated with ``discard_files_on_failure`` (outside its
# ``transaction.atomic``) deletes the files it wrote (``file_written``) when it raises. Nested: an inner
# service that succeeds hands its files to the enclosing one, which may still fail.

_written: ContextVar[list[str] | None] = ContextVar("netralitas_files_written", default=None)


def file_written(name: str) -> None:
    """Record that the current unit of work stored ``name`` (a new file, not one it found already there)."""
    written = _written.get()
    if written is not None:
        written.append(name)


def discard_files_on_failure(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        outer = _written.get()
        mine: list[str] = []
        token = _written.set(mine)
        try:
            result = func(*args, **kwargs)
        except BaseException:
            for name in mine:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.exception("could not delete %s, stored by a change that failed", name)
            raise
        finally:
            _written.reset(token)
        if outer is not None:
            outer.extend(mine)
        return result

    return wrapper


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
