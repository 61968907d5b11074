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
    value = ILLEGAL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cells(values: Iterable) -> list:
    return [cell(value) for value in values]
