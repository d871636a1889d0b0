"""When orders and care tasks are due: timing + bounds + window in, instants out (pure, no fpdf).

Rules (they decide what a nurse is asked to give; tests in tests/documents/test_schedule.py):

- Slots are aware UTC datetimes, in ``[window_start, window_end)`` and in the order's
  ``[start, end)``: an order ending inside the window stops there, one starting inside it
  starts there (a 08:00 dose on the start day is due only if the order starts at or before 08:00).
- ``fixed_times`` and ``times_per_day`` are wall-clock times in Europe/Paris, every day.
  Spring forward (e.g. 29/03/2026, 02:00 → 03:00): a time that does not exist that day is
  SHIFTED forward by the gap (02:30 → 03:30), never skipped — a late dose is safer than a
  silently missing one; if the shifted time equals another slot, it is printed once.
  Autumn back (e.g. 25/10/2026, 03:00 → 02:00): an ambiguous time is due ONCE, at its first
  occurrence (summer time).
- ``every_hours`` counts real elapsed hours from the order's start (an every-8-h antibiotic
  stays 8 h apart across a DST change; its printed wall-clock times move by one hour).
  A care task without a start counts from local midnight of the window's first day.
- ``times_per_day``: the hospital's standard hours (printtemplates/schedule.toml; default
  1: 08, 2: 08-20, 3: 08-12-18, 4: 06-12-18-22); a count not listed there is spread evenly
  over the day from 08:00.
- ``once``: one slot at the order's start. ``as_needed`` and ``text``: no slot (the documents
  print the maximum per day or the text instead).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from pcsauvegarde.core.records import Timing
from pcsauvegarde.station.documents.templates import TemplateError, load_template

PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
KIND = "schedule"
MAX_LISTED = 6   # standard hours listed in the template for 1 to 6 doses a day
SCHEMA: dict[str, tuple[str, ...]] = {f"standard_hours.{n}": () for n in range(1, MAX_LISTED + 1)}
DEFAULT_STANDARD_HOURS: dict[int, tuple[str, ...]] = {
    1: ("08:00",), 2: ("08:00", "20:00"), 3: ("08:00", "12:00", "18:00"),
    4: ("06:00", "12:00", "18:00", "22:00")}
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

StandardHours = Mapping[int, tuple[str, ...]]


def load_standard_hours(directory: Path | str | None = None) -> dict[int, tuple[str, ...]]:
    """The hospital's standard hours per number of doses a day, from ``schedule.toml``.

    Each value is a comma-separated list of HH:MM with exactly N times for key N; a wrong
    value raises TemplateError naming the file and the key.
    """
    t = load_template(KIND, SCHEMA, directory)
    hours: dict[int, tuple[str, ...]] = {}
    for n in range(1, MAX_LISTED + 1):
        key = f"standard_hours.{n}"
        times = tuple(x.strip() for x in t.texts[key].split(",") if x.strip())
        bad = [x for x in times if not _HHMM.match(x)]
        if bad:
            raise TemplateError(f"{t.path} : clé « {key} » : heure invalide « {bad[0]} » "
                                "(attendu HH:MM, séparées par des virgules)")
        if len(times) != n or len(set(times)) != n:
            raise TemplateError(f"{t.path} : clé « {key} » : {n} heure(s) différente(s) "
                                f"attendue(s), {len(times)} trouvée(s)")
        hours[n] = tuple(sorted(times))
    return hours


def day_times(timing: Timing, standard_hours: StandardHours = DEFAULT_STANDARD_HOURS
              ) -> tuple[str, ...]:
    """The wall-clock times of a daily timing (fixed_times, times_per_day); else ()."""
    if timing.kind == "fixed_times":
        return tuple(sorted(set(timing.times)))
    if timing.kind == "times_per_day" and timing.per_day:
        listed = standard_hours.get(timing.per_day)
        if listed:
            return tuple(sorted(listed))
        step = 1440 / timing.per_day
        minutes = sorted({int(8 * 60 + i * step) % 1440 for i in range(timing.per_day)})
        return tuple(f"{m // 60:02d}:{m % 60:02d}" for m in minutes)
    return ()


def due_slots(timing: Timing, start: dt.datetime | None, end: dt.datetime | None,
              window_start: dt.datetime, window_end: dt.datetime,
              standard_hours: StandardHours = DEFAULT_STANDARD_HOURS) -> list[dt.datetime]:
    """Due instants (UTC, sorted, unique) of a timing bounded by [start, end) and the window."""
    lo = max(window_start, start) if start is not None else window_start
    hi = min(window_end, end) if end is not None else window_end
    if lo >= hi:
        return []
    kind = timing.kind
    if kind in ("fixed_times", "times_per_day"):
        found = _wall_clock(day_times(timing, standard_hours), lo, hi)
    elif kind == "every_hours" and timing.every_hours:
        anchor = start if start is not None else _local_midnight(window_start)
        step = dt.timedelta(hours=timing.every_hours)
        k = max(math.ceil((lo - anchor) / step), 0)
        found = []
        while (due := anchor + k * step) < hi:
            found.append(due)
            k += 1
    elif kind == "once" and start is not None:
        found = [start] if lo <= start < hi else []
    else:  # as_needed, text: nothing scheduled
        found = []
    return sorted({f.astimezone(UTC) for f in found})


def order_slots(order, window_start: dt.datetime, window_end: dt.datetime,
                standard_hours: StandardHours = DEFAULT_STANDARD_HOURS) -> list[dt.datetime]:
    """Due instants of a MedicationOrder or CareTask (anything with timing, start, end)."""
    return due_slots(order.timing, order.start, order.end, window_start, window_end,
                     standard_hours)


def _local_midnight(at: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(at.astimezone(PARIS).date(), dt.time(0), PARIS)


def _wall_clock(times: tuple[str, ...], lo: dt.datetime, hi: dt.datetime) -> list[dt.datetime]:
    """Every local ``times`` of each day overlapping [lo, hi), kept when inside it."""
    found = []
    day = lo.astimezone(PARIS).date() - dt.timedelta(days=1)
    last = hi.astimezone(PARIS).date() + dt.timedelta(days=1)
    parsed = [dt.time.fromisoformat(t) for t in times]
    while day <= last:
        for t in parsed:
            # fold=0: a nonexistent time takes the pre-transition offset, i.e. it lands one
            # hour later on the clock (02:30 → 03:30); an ambiguous one takes summer time.
            due = dt.datetime.combine(day, t, PARIS).astimezone(UTC)
            if lo <= due < hi:
                found.append(due)
        day += dt.timedelta(days=1)
    return found
