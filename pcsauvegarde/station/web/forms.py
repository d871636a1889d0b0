"""Form input hygiene shared by views: bounded length, no control or bidi characters."""

from __future__ import annotations

import datetime as dt
import re

from flask import abort

from pcsauvegarde.core.dates import parse_typed_date
from pcsauvegarde.core.records import MAX_ID_LENGTH

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_NEWLINES = re.compile(r"[\t\n]")


def clean_text(value: str | None, max_len: int, multiline: bool = False) -> str:
    """Trimmed text of at most ``max_len`` characters; control characters become spaces."""
    text = _CONTROL.sub(" ", (value or "")[: max_len * 2])
    if not multiline:
        text = _NEWLINES.sub(" ", text)
    return text.strip()[:max_len]


def parse_day(value: str | None) -> dt.date | None:
    """A date typed as AAAA-MM-JJ (HTML date input) or JJ/MM/AAAA; None if absent or invalid."""
    return parse_typed_date((value or "").strip()[:10])


def parse_page(value: str | None) -> int:
    """A page number in 1..100000 (anything else: 1)."""
    text = (value or "").strip()[:6]
    return int(text) if text.isdigit() and 0 < int(text) <= 100000 else 1


def url_id(value: str) -> str:
    """An IPP, NDA, unit code or document number from a URL, whole: never cut (404 if too long).

    Cutting would open another record or none: a 36-character unit code cut to 32 was a 404.
    """
    if not value or len(value) > MAX_ID_LENGTH:
        abort(404)
    return value
