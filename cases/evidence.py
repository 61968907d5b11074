"""Evidence helpers: what a file really is (by its content, not its name), and one spelling per post URL
so the same post reported twice is recognised."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import filetype
from django.core.files.base import File

# Query parameters that only track where a link was shared from; they never identify the post.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "igshid",
        "igsh",
        "si",
        "s",
        "t",
        "ref",
        "ref_src",
        "ref_url",
        "mibextid",
        "rdid",
        "share_url",
        "feature",
    }
)
HOST_ALIASES = {
    "m.facebook.com": "facebook.com",
    "web.facebook.com": "facebook.com",
    "mobile.facebook.com": "facebook.com",
    "fb.com": "facebook.com",
    "mobile.twitter.com": "x.com",
    "twitter.com": "x.com",
    "mobile.x.com": "x.com",
    "m.youtube.com": "youtube.com",
    "vm.tiktok.com": "tiktok.com",
    "vt.tiktok.com": "tiktok.com",
}
PLATFORMS = {
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
    "x.com": "x",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "wa.me": "whatsapp",
    "chat.whatsapp.com": "whatsapp",
}


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, no "www.", mobile hosts folded into the main one, tracking parameters,
    fragment and trailing slash dropped, remaining parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    host = HOST_ALIASES.get(host, host)
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if k.lower() not in TRACKING_PARAMETERS and not k.lower().startswith("utm_")
    )
    path = parts.path.rstrip("/") or ""
    return urlunsplit(("https", host, path, urlencode(query), ""))


def platform_of(normalized_url: str) -> str:
    host = urlsplit(normalized_url).hostname or ""
    return PLATFORMS.get(host, "lainnya")


def detect_mime_type(upload: File) -> str:
    """The MIME type read from the file's first bytes; "" when the content is not recognised."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""
