"""The local file storage of evidence, letters and outreach files (``MEDIA_STORAGE=local``).

Django's ``FileSystemStorage`` writes a file under its final name as the bytes arrive: a disk that refuses
a write half-way (full, quota, read-only, I/O error), or a process killed mid-write, leaves a partial file
under the real name. Evidence is stored under its SHA-256 and a stored name is reused by the next upload of
the same bytes, so such a remnant would stand for evidence that never arrived whole. Here each file is
written to a temporary name in its folder, flushed to the disk, and only then given its real name (a hard
link, which never replaces an existing file); whatever happens, the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage

TEMP_PREFIX = ".unggah-"


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temp_path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                write_all(content, handle, full_path)
            while True:
                try:
                    _publish(temp_path, full_path)
                except FileExistsError:  # taken meanwhile: the next free name, as Django does
                    name = self.get_available_name(name)
                    full_path = self.path(name)
                else:
                    break
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_path)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        name = os.path.relpath(full_path, self.location)
        self._ensure_location_group_id(full_path)
        return str(name).replace("\\", "/")


def write_all(content, handle, full_path: str) -> None:
    """Write ``content`` to the open temporary file meant to become ``full_path``, down to the disk."""
    for chunk in content.chunks():
        handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
    handle.flush()
    os.fsync(handle.fileno())


def _publish(temp_path: str, full_path: str) -> None:
    """Give the complete file its real name, never replacing a file already there (FileExistsError)."""
    try:
        os.link(temp_path, full_path)
    except FileExistsError:
        raise
    except OSError:
        # a file system without hard links: an exclusive create, then the rename over the empty placeholder
        os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(temp_path, full_path)
