"""Dates typed by people (admission form, search, journal filters): one parser."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.core.dates import parse_typed_date
from pcsauvegarde.station.web.forms import parse_day


@pytest.mark.parametrize(("text", "day"), [
    ("03/02/1948", dt.date(1948, 2, 3)),     # as written on paper
    ("1948-02-03", dt.date(1948, 2, 3)),     # an HTML date input
    ("29/02/2024", dt.date(2024, 2, 29)),
    ("29/02/2023", None), ("31/04/2026", None), ("2026-13-01", None),
    ("03.02.1948", None), ("3 février 1948", None), ("", None), ("1948", None),
])
def test_typed_dates(text, day):
    assert parse_typed_date(text) == day


def test_journal_filter_trims_and_bounds_what_it_reads():
    assert parse_day("  1948-02-03  ") == dt.date(1948, 2, 3)
    assert parse_day("1948-02-03T10:00") == dt.date(1948, 2, 3)
    assert parse_day(None) is None
