"""Expiry dates: calendar months (month ends, leap years) then days."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.station.sterilisation.expiry import add_months, expiry_date, shelf_life_text

D = dt.date


@pytest.mark.parametrize("start, months, days, expected", [
    (D(2026, 8, 31), 6, 0, D(2027, 2, 28)),      # no 31 February: its last day
    (D(2027, 8, 31), 6, 0, D(2028, 2, 29)),      # leap year
    (D(2028, 2, 29), 12, 0, D(2029, 2, 28)),     # 29 February + 1 year
    (D(2028, 2, 29), 48, 0, D(2032, 2, 29)),
    (D(2026, 1, 31), 1, 0, D(2026, 2, 28)),
    (D(2026, 3, 31), 1, 0, D(2026, 4, 30)),
    (D(2026, 4, 30), 1, 0, D(2026, 5, 30)),      # a 30th stays a 30th
    (D(2026, 11, 30), 3, 0, D(2027, 2, 28)),     # across the year end
    (D(2026, 12, 15), 1, 0, D(2027, 1, 15)),
    (D(2026, 8, 31), 1, 15, D(2026, 10, 15)),    # months first, then days
    (D(2028, 2, 1), 0, 30, D(2028, 3, 2)),       # days count the 29th of a leap February
    (D(2027, 2, 1), 0, 30, D(2027, 3, 3)),
])
def test_expiry_dates(start, months, days, expected):
    assert expiry_date(start, months, days) == expected


def test_add_months_is_plain_for_ordinary_days():
    assert add_months(D(2026, 5, 10), 25) == D(2028, 6, 10)


def test_negative_shelf_life_is_refused():
    with pytest.raises(ValueError):
        expiry_date(D(2026, 1, 1), -1)


def test_shelf_life_in_words():
    assert shelf_life_text(6, 0) == "6 mois"
    assert shelf_life_text(1, 15) == "1 mois et 15 jours"
    assert shelf_life_text(0, 1) == "1 jour"
