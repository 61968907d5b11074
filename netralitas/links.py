"""Addresses of many objects of one kind, reversed once.

``reverse()`` walks the URL resolver on every call: a sweep of 50,000 reminders or an API page of 100
referrals with their evidence spent more time reversing than on the rest of each row. ``path_template``
reverses once with marker arguments and returns a function that puts each object's arguments in their place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

# Markers that no real argument contains (UUID-shaped, so that UUID converters accept them).
_MARKS = ("00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b")


@lru_cache(maxsize=64)
def _template(name: str, arity: int, urlconf: str | None, prefix: str) -> str:
    return reverse(name, args=_MARKS[:arity], urlconf=urlconf)


def path_template(name: str, arity: int = 1) -> Callable[..., str]:
    """``path_template("cases:detail")(code)`` is ``reverse("cases:detail", args=[code])`` for arguments that
    need no quoting (UUIDs, numbers, slugs)."""
    template = _template(name, arity, get_urlconf(), get_script_prefix())
    marks = _MARKS[:arity]

    def build(*args) -> str:
        path = template
        for mark, arg in zip(marks, args, strict=True):
            path = path.replace(mark, str(arg))
        return path

    return build
