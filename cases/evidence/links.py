"""Evidence helpers: one spelling per post URL, so the same post reported twice is recognised. (What a file
really is: ``netralitas.files.detect_mime_type``.)"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a link was shared from; they never identify the post.
TRACKING_PARAMETERS = frozenset(
    [
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
    ]
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
