"""The client's address, for sign-in throttling and logs.

Behind reverse proxies every request arrives from the nearest proxy. With ``TRUSTED_PROXY_COUNT`` = N, the
N-th address from the right of X-Forwarded-For is the client as the outermost trusted proxy saw it
(each proxy appends the address it received the request from); addresses further left were written by the
client and are not trusted. With N = 0 (no proxy) REMOTE_ADDR is used and X-Forwarded-For is ignored.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
