"""What an uploaded file really is, read from its first bytes (never from its name or the browser's word),
whether it may be kept, and the name it is shown under."""

import functools
import hashlib
import logging
import mimetypes
import struct
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

import filetype
from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

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


# --- Checking an upload -------------------------------------------------------------------------------------
# One check for every place a file comes in (staff evidence, the public report page, outreach materials).

# Word and Excel files are zip archives. Their directory says how large their content is once unpacked;
# nothing here unpacks them, but a file that would swell far past its own size (a "zip bomb") is refused, so
# no program that opens it later (a reviewer's Word, a preview) is flooded.
OFFICE_ARCHIVES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)
ARCHIVE_MAX_ENTRIES = 10_000
ARCHIVE_MAX_RATIO = 100  # unpacked size per byte of the file, past ARCHIVE_ALWAYS_FINE
ARCHIVE_ALWAYS_FINE = 50_000_000
ARCHIVE_MAX_UNPACKED = 1_000_000_000


class RefusedFile(Exception):
    """An upload that may not be kept; the message says why, in the user's language."""


def shown_name(name: str | None, *, limit: int = 255) -> str:
    """The name a user gave a file, fit to show and to store as text: no folders (of either system), no
    control or direction-changing characters, NFC, at most ``limit`` characters (the extension kept).
    Never used as a path: stored files get ``generated_name``."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C")).strip()
    if text in ("", ".", ".."):
        return _("berkas")
    if len(text) > limit:
        stem, dot, extension = text.rpartition(".")
        extension = extension[:16] if dot else ""
        text = (stem if dot else text)[: limit - len(extension) - 1].rstrip() + (f".{extension}" if extension else "")
    return text


def generated_name(mime_type: str) -> str:
    """A fresh name for a stored file, with the extension of its real type (never the client's name)."""
    extension = mimetypes.guess_extension(mime_type or "") or ".bin"
    return f"{uuid.uuid4().hex}{extension}"


def check_upload(upload: File, *, max_bytes: int | None = None, allowed: Iterable[str] | None = None) -> str:
    """The upload's MIME type read from its content, or ``RefusedFile`` when it is empty, too large, not of an
    allowed type, or an office archive that is damaged or would unpack far past its size."""
    max_bytes = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    allowed = settings.EVIDENCE_ALLOWED_TYPES if allowed is None else allowed
    name = shown_name(upload.name)
    if not upload.size:
        raise RefusedFile(_("Berkas “%(name)s” kosong.") % {"name": name})
    if upload.size > max_bytes:
        raise RefusedFile(
            _("Berkas “%(name)s” terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {
                "name": name,
                "size": f"{upload.size / 1_000_000:.1f}".replace(".", ","),
                "limit": max_bytes // 1_000_000,
            }
        )
    mime_type = detect_mime_type(upload)
    if mime_type not in allowed:
        raise RefusedFile(
            _(
                "Isi berkas “%(name)s” tidak dikenali sebagai jenis yang diizinkan (gambar JPEG/PNG/WebP, video "
                "MP4/WebM, PDF, dokumen Word/Excel). Jenis yang terbaca: %(type)s."
            )
            % {"name": name, "type": mime_type or _("tidak dikenal")}
        )
    if mime_type in OFFICE_ARCHIVES:
        _check_archive(upload, name)
    return mime_type


def _archive_entry_count(upload: File) -> int | None:
    """The number of entries the archive's end record announces (read before its directory is), or None."""
    upload.seek(max(upload.size - 65_557, 0))
    tail = upload.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def _check_archive(upload: File, name: str) -> None:
    damaged = RefusedFile(
        _("Berkas “%(name)s” rusak: arsip dokumennya tidak dapat dibaca. Simpan ulang dokumennya, lalu unggah lagi.")
        % {"name": name}
    )
    try:
        count = _archive_entry_count(upload)
        if count is None:
            raise damaged
        if count > ARCHIVE_MAX_ENTRIES:
            raise RefusedFile(_("Berkas “%(name)s” berisi terlalu banyak bagian arsip.") % {"name": name})
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:  # reads the directory only; nothing is unpacked
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error):
        raise damaged from None
    finally:
        upload.seek(0)
    unpacked = sum(entry.file_size for entry in entries)
    limit = min(ARCHIVE_MAX_UNPACKED, max(ARCHIVE_ALWAYS_FINE, ARCHIVE_MAX_RATIO * upload.size))
    if len(entries) > ARCHIVE_MAX_ENTRIES or unpacked > limit:
        raise RefusedFile(
            _(
                "Berkas “%(name)s” adalah arsip yang membengkak menjadi %(size)s MB bila dibuka; berkas seperti ini "
                "tidak diterima. Simpan ulang dokumennya (atau sebagai PDF), lalu unggah lagi."
            )
            % {"name": name, "size": f"{unpacked / 1_000_000:,.0f}".replace(",", ".")}
        )


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


#: what a browser may show in place of downloading (anything else is an attachment)
SHOWN_INLINE = ("image/", "video/", "audio/", "application/pdf")


def stored_file_response(
    stored, *, filename: str, content_type: str = "", cache: str = "private, max-age=3600", attachment: bool = False
):
    """A stored file (a ``FieldFile``) as the HTTP response every download uses: 404 when the storage no longer
    has it, never sniffed; images, media and PDFs shown in place in a sandbox (unless ``attachment``), anything
    else an attachment."""
    from django.http import FileResponse, Http404

    try:
        opened = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    inline = not attachment and content_type.startswith(SHOWN_INLINE)
    response = FileResponse(opened, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    response["Cache-Control"] = cache
    return response
