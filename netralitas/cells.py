"""One spreadsheet cell, safe to open: every export (the referral CSV and XLSX, the background XLSX, the
dashboard's workbook) writes its values through ``cell``.

- Text a spreadsheet would read as a formula (starting with = + - @, a tab, a carriage return or a line
  feed: OWASP "CSV injection") gets a leading apostrophe, so a name typed as ``=HYPERLINK(...)`` shows as
  text and runs nothing.
- Control characters an XLSX file may not hold (anything below a space but tab, line feed and carriage
  return) are dropped: openpyxl refuses them, and one such character in a name would break the whole file."""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell(value):
    if not isinstance(value, str):
        return value
    if not value.isprintable():  # the common case, printable text, skips the search (an export has millions)
        value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cells(values: Iterable) -> list:
    """``cell`` of each value of a row, in one loop: an export's rows have tens of columns, most of them
    printable text that needs nothing."""
    out = []
    for value in values:
        if value.__class__ is str and value and (not value.isprintable() or value[0] in _FIRST):
            value = cell(value)
        out.append(value)
    return out


_FIRST = frozenset("=+-@")  # with tab, CR and LF, which are not printable
