"""French date, age and timing formatting."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.core.records import Timing
from pcsauvegarde.station.documents import fmt

UTC = dt.UTC


def test_format_local_summer_is_utc_plus_two() -> None:
    assert fmt.format_local(dt.datetime(2026, 7, 14, 10, 0, tzinfo=UTC)) == "14/07/2026 12:00"


def test_format_local_winter_is_utc_plus_one() -> None:
    assert fmt.format_local(dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)) == "27/11/2026 14:05"


def test_format_local_across_the_spring_change() -> None:
    assert fmt.format_local(dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29/03/2026 01:59"
    assert fmt.format_local(dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29/03/2026 03:00"


def test_naive_datetimes_are_taken_as_utc() -> None:
    assert fmt.format_local(dt.datetime(2026, 7, 14, 10, 0)) == "14/07/2026 12:00"


def test_format_date() -> None:
    assert fmt.format_date(dt.date(1948, 2, 3)) == "03/02/1948"
    # 23:30 UTC on the 26th is already the 27th in Paris.
    assert fmt.format_date(dt.datetime(2026, 11, 26, 23, 30, tzinfo=UTC)) == "27/11/2026"


@pytest.mark.parametrize(("delta", "text"), [
    (dt.timedelta(seconds=20), "il y a 20 s"),
    (dt.timedelta(seconds=59.9), "il y a 59 s"),
    (dt.timedelta(seconds=-30), "il y a 0 s"),
    (dt.timedelta(minutes=12), "il y a 12 min"),
    (dt.timedelta(minutes=59, seconds=59), "il y a 59 min"),
    (dt.timedelta(hours=2, minutes=5), "il y a 2 h 05"),
    (dt.timedelta(hours=23, minutes=59), "il y a 23 h 59"),
    (dt.timedelta(days=1, hours=6, minutes=10), "il y a 1 j 6 h"),
    (dt.timedelta(days=2), "il y a 2 j"),
    (dt.timedelta(days=3, hours=4), "il y a 3 j"),
])
def test_format_age(delta: dt.timedelta, text: str) -> None:
    assert fmt.format_age(delta) == text


def test_format_age_of_data_from_the_future_warns() -> None:
    assert "vérifier l'horloge" in fmt.format_age(dt.timedelta(minutes=-10))


def test_freshness_banner() -> None:
    printed = dt.datetime(2026, 11, 27, 13, 17, tzinfo=UTC)
    extracted = dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)
    assert (fmt.freshness(extracted, printed)
            == "MODE DÉGRADÉ — données du 27/11/2026 14:05 (il y a 12 min)")
    assert fmt.freshness(None, printed) == "MODE DÉGRADÉ — données : date inconnue"


def test_data_age_text() -> None:
    now = dt.datetime(2026, 11, 27, 16, 10, tzinfo=UTC)
    extracted = dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)
    assert fmt.data_age(extracted, now) == "données du 27/11/2026 14:05 (il y a 3 h 05)"
    assert fmt.data_age(None, now) == "données : date inconnue"


@pytest.mark.parametrize(("birth", "on", "text"), [
    (dt.date(1948, 2, 3), dt.date(2026, 11, 27), "78 ans"),
    (dt.date(1948, 11, 28), dt.date(2026, 11, 27), "77 ans"),
    (dt.date(2025, 9, 30), dt.date(2026, 11, 27), "13 mois"),
    (dt.date(2026, 11, 15), dt.date(2026, 11, 27), "12 j"),
])
def test_format_person_age(birth: dt.date, on: dt.date, text: str) -> None:
    assert fmt.format_person_age(birth, on) == text


@pytest.mark.parametrize(("timing", "text"), [
    (Timing("fixed_times", times=("20:00", "08:00")), "08:00, 20:00"),
    (Timing("every_hours", every_hours=8), "toutes les 8 h"),
    (Timing("every_hours", every_hours=1), "toutes les heures"),
    (Timing("every_hours", every_hours=1.5), "toutes les 1,5 h"),
    (Timing("every_hours", every_hours=0.5), "toutes les 30 min"),
    (Timing("times_per_day", per_day=3), "3 fois par jour"),
    (Timing("as_needed", max_per_day=4), "si besoin (max 4/j)"),
    (Timing("as_needed", max_per_day=4, min_interval_hours=6),
     "si besoin (max 4/j, au moins 6 h entre 2 prises)"),
    (Timing("as_needed"), "si besoin"),
    (Timing("once"), "dose unique"),
    (Timing("text", text="selon glycémie capillaire"), "selon glycémie capillaire"),
])
def test_format_timing(timing: Timing, text: str) -> None:
    assert fmt.format_timing(timing) == text


def test_decimal_commas_in_values_and_ranges() -> None:
    from pcsauvegarde.station.documents.fmt import decimal_commas

    assert decimal_commas("142.7") == "142,7"
    assert decimal_commas("3.5-5.1 mmol/L") == "3,5-5,1 mmol/L"
    assert decimal_commas("<0.01") == "<0,01"
    assert decimal_commas("12") == "12" and decimal_commas("3,1") == "3,1"
    assert decimal_commas("27.11.2026") == "27.11.2026"  # a dotted date is not a number


def test_lab_flags_as_arrows() -> None:
    from pcsauvegarde.station.documents.fmt import format_lab_flag

    assert [format_lab_flag(f) for f in ("H", "L", "HH", "LL", "N")] == ["↑", "↓", "↑↑", "↓↓",
                                                                           ""]


@pytest.mark.parametrize(("dose", "unit", "text"), [
    ("1g", "", "1 g"), ("1", "g", "1 g"), ("2.5", "mg", "2,5 mg"), ("2,5mg", "", "2,5 mg"),
    ("500mg/100mL", "", "500 mg/100 mL"), ("4000", "UI", "4000 UI"), ("10µg", "", "10 µg"),
    ("selon protocole", "", "selon protocole"), ("", "", ""), ("0.5", "", "0,5"),
    ("1 sachet", "", "1 sachet"), ("1g/j", "", "1 g/j"), ("5%", "", "5%")])
def test_dose_text_spaces_number_and_unit(dose: str, unit: str, text: str) -> None:
    assert fmt.dose_text(dose, unit) == text
