"""Orders → expected slots, in Europe/Paris wall-clock time, including both 2026 DST changes."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from pcsauvegarde.core.records import Timing
from pcsauvegarde.station.documents.schedule import PARIS, due_slots, load_standard_hours
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError


def at(text: str) -> dt.datetime:
    """« 28/03/2026 08:00 » Paris wall clock → aware UTC (fold=0)."""
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=PARIS).astimezone(dt.UTC)


def shown(slots: list[dt.datetime]) -> list[str]:
    return [s.astimezone(PARIS).strftime("%d/%m %H:%M%z") for s in slots]


FIXED = Timing("fixed_times", times=("20:00", "08:00"))
EVERY8 = Timing("every_hours", every_hours=8)

CASES = [
    # (label, timing, order start, order end, window start, window end, expected)
    ("fixed times, two days", FIXED, "01/11/2026 00:00", None,
     "27/11/2026 14:00", "29/11/2026 14:00",
     ["27/11 20:00+0100", "28/11 08:00+0100", "28/11 20:00+0100", "29/11 08:00+0100"]),
    ("order starts inside the window: earlier times of its first day are not due", FIXED,
     "27/11/2026 10:00", None, "27/11/2026 00:00", "28/11/2026 12:00",
     ["27/11 20:00+0100", "28/11 08:00+0100"]),
    ("order ends inside the window: it stops there (end excluded)", FIXED,
     "01/11/2026 00:00", "28/11/2026 08:00", "27/11/2026 00:00", "30/11/2026 00:00",
     ["27/11 08:00+0100", "27/11 20:00+0100"]),
    ("window start is included, window end excluded", FIXED, "01/11/2026 00:00", None,
     "27/11/2026 08:00", "27/11/2026 20:00", ["27/11 08:00+0100"]),
    ("every 8 h from the order's start, not from midnight", EVERY8, "26/11/2026 10:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00",
     ["27/11 02:00+0100", "27/11 10:00+0100", "27/11 18:00+0100"]),
    ("every 8 h, order starting after the window start", EVERY8, "27/11/2026 13:30", None,
     "27/11/2026 00:00", "28/11/2026 00:00", ["27/11 13:30+0100", "27/11 21:30+0100"]),
    ("3 a day at standard hours", Timing("times_per_day", per_day=3), "01/11/2026 00:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00",
     ["27/11 08:00+0100", "27/11 12:00+0100", "27/11 18:00+0100"]),
    ("4 a day at standard hours", Timing("times_per_day", per_day=4), "01/11/2026 00:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00",
     ["27/11 06:00+0100", "27/11 12:00+0100", "27/11 18:00+0100", "27/11 22:00+0100"]),
    ("8 a day, not listed: spread evenly from 08:00", Timing("times_per_day", per_day=8),
     "01/11/2026 00:00", None, "27/11/2026 00:00", "27/11/2026 12:00",
     ["27/11 02:00+0100", "27/11 05:00+0100", "27/11 08:00+0100", "27/11 11:00+0100"]),
    ("PRN: no slot", Timing("as_needed", max_per_day=4), "01/11/2026 00:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00", []),
    ("text: no slot", Timing("text", text="selon glycémie"), "01/11/2026 00:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00", []),
    ("once: at the start, inside the window", Timing("once"), "27/11/2026 15:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00", ["27/11 15:00+0100"]),
    ("once: before the window, nothing", Timing("once"), "26/11/2026 15:00", None,
     "27/11/2026 00:00", "28/11/2026 00:00", []),
    ("order ended before the window", FIXED, "01/11/2026 00:00", "20/11/2026 00:00",
     "27/11/2026 00:00", "28/11/2026 00:00", []),
    # ---- spring forward, Sunday 29/03/2026: 02:00 CET → 03:00 CEST --------------------
    ("spring: 02:30 does not exist, shifted to 03:30 (not skipped)",
     Timing("fixed_times", times=("02:30", "08:00")), "01/03/2026 00:00", None,
     "28/03/2026 00:00", "30/03/2026 00:00",
     ["28/03 02:30+0100", "28/03 08:00+0100", "29/03 03:30+0200", "29/03 08:00+0200"]),
    ("spring: 02:00 shifted onto 03:00 is printed once",
     Timing("fixed_times", times=("02:00", "03:00")), "01/03/2026 00:00", None,
     "29/03/2026 00:00", "29/03/2026 12:00", ["29/03 03:00+0200"]),
    ("spring: every 8 h keeps 8 real hours, the wall clock moves", EVERY8,
     "28/03/2026 22:00", None, "28/03/2026 22:00", "29/03/2026 23:00",
     ["28/03 22:00+0100", "29/03 07:00+0200", "29/03 15:00+0200"]),
    ("spring: 4 a day keep their wall-clock hours", Timing("times_per_day", per_day=4),
     "01/03/2026 00:00", None, "29/03/2026 00:00", "30/03/2026 00:00",
     ["29/03 06:00+0200", "29/03 12:00+0200", "29/03 18:00+0200", "29/03 22:00+0200"]),
    # ---- autumn back, Sunday 25/10/2026: 03:00 CEST → 02:00 CET -------------------------
    ("autumn: the ambiguous 02:30 is due once (summer time)",
     Timing("fixed_times", times=("02:30",)), "01/10/2026 00:00", None,
     "24/10/2026 12:00", "26/10/2026 12:00", ["25/10 02:30+0200", "26/10 02:30+0100"]),
    ("autumn: every 4 h across the repeated hour", Timing("every_hours", every_hours=4),
     "24/10/2026 22:00", None, "24/10/2026 22:00", "25/10/2026 10:00",
     ["24/10 22:00+0200", "25/10 02:00+0200", "25/10 05:00+0100", "25/10 09:00+0100"]),
    ("autumn: fixed 08:00 stays 08:00", FIXED, "01/10/2026 00:00", None,
     "25/10/2026 00:00", "26/10/2026 00:00", ["25/10 08:00+0100", "25/10 20:00+0100"]),
]


@pytest.mark.parametrize(("label", "timing", "start", "end", "ws", "we", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_due_slots(label, timing, start, end, ws, we, expected) -> None:
    slots = due_slots(timing, at(start), at(end) if end else None, at(ws), at(we))
    assert shown(slots) == expected
    assert all(s.tzinfo is dt.UTC for s in slots)


def test_spring_every_8h_spacing_is_real_hours() -> None:
    slots = due_slots(EVERY8, at("28/03/2026 22:00"), None, at("28/03/2026 22:00"),
                      at("30/03/2026 00:00"))
    assert {b - a for a, b in itertools.pairwise(slots)} == {dt.timedelta(hours=8)}


def test_care_task_without_start_counts_from_local_midnight() -> None:
    slots = due_slots(Timing("every_hours", every_hours=6), None, None,
                      at("27/11/2026 07:00"), at("27/11/2026 19:00"))
    assert shown(slots) == ["27/11 12:00+0100", "27/11 18:00+0100"]


def test_standard_hours_from_template_are_used(tmp_path: Path) -> None:
    text = (DEFAULT_DIR / "schedule.toml").read_text(encoding="utf-8")
    (tmp_path / "schedule.toml").write_text(text.replace('1 = "08:00"', '1 = "09:00"'),
                                            encoding="utf-8")
    hours = load_standard_hours(tmp_path)
    slots = due_slots(Timing("times_per_day", per_day=1), None, None,
                      at("27/11/2026 00:00"), at("28/11/2026 00:00"), hours)
    assert shown(slots) == ["27/11 09:00+0100"]
    assert load_standard_hours()[4] == ("06:00", "12:00", "18:00", "22:00")


@pytest.mark.parametrize(("old", "new", "words"), [
    ('2 = "08:00, 20:00"', '2 = "08:00, 25:00"', "heure invalide « 25:00 »"),
    ('2 = "08:00, 20:00"', '2 = "08:00"', "2 heure(s) différente(s) attendue(s)"),
    ('2 = "08:00, 20:00"', '2 = "08:00, 08:00"', "2 heure(s) différente(s)"),
])
def test_broken_standard_hours_name_file_and_key(tmp_path: Path, old, new, words) -> None:
    text = (DEFAULT_DIR / "schedule.toml").read_text(encoding="utf-8")
    (tmp_path / "schedule.toml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(TemplateError) as err:
        load_standard_hours(tmp_path)
    message = str(err.value)
    assert str(tmp_path / "schedule.toml") in message and "« standard_hours.2 »" in message
    assert words in message
