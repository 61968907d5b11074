"""What an uploaded file really is, read from its first bytes (never from its name or the browser's word)."""

import filetype
from django.core.files.base import File


def detect_mime_type(upload: File) -> str:
    """The MIME type read from the file's content; "" when the content is not recognised."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""
