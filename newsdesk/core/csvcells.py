"""Cells of the CSV files the admin hands out: safe to open in a spreadsheet, and readable back.

Spreadsheets run a cell that begins with = + - @ (or a tab or carriage return,
which some skip before looking) as a formula, so a subscriber named
`=HYPERLINK(...)` would become a live link, or worse, on an editor's machine.
The usual answer (OWASP's) is a leading apostrophe, which spreadsheets take to
mean "text" and do not show. An address may lawfully begin with = + or -, so
importers take the apostrophe off again with `original`: a list exported here
reads back exactly as it was.
"""

import re

from django.utils.encoding import force_str

# A trigger after any apostrophes: one more apostrophe is added, so that exactly one comes off.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def safe(value):
    text = str(value)
    return "'" + text if _FORMULA.match(text) else text


def original(text):
    """The value `safe` was given."""
    return text[1:] if text.startswith("'") and _FORMULA.match(text, 1) else text


def safe_export_cell(value):
    """Wagtail's own CSV cell (its text), made safe; an empty value stays empty."""
    return value if value is None else safe(force_str(value))
