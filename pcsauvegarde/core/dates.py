"""Dates typed by people: the one parser of the station's forms, searches and admissions."""

from __future__ import annotations

import datetime as dt

TYPED_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # JJ/MM/AAAA as written; AAAA-MM-JJ (date input)


def parse_typed_date(text: str) -> dt.date | None:
    """The date of ``text`` written JJ/MM/AAAA or AAAA-MM-JJ; None if it is neither."""
    for pattern in TYPED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
