"""HL7 v2 medication timing (TQ1, or the older RXE-1 / ORC-7 TQ field) → canonical Timing."""

from __future__ import annotations

import re

from pcsauvegarde.core.records import Timing

_PER_DAY = {"QD": 1, "QJ": 1, "OD": 1, "BID": 2, "TID": 3, "QID": 4}
_EVERY = re.compile(r"^Q(\d+(?:\.\d+)?)(H|J|D)$")
_ONCE = {"ONCE", "STAT", "NOW", "1X"}
_HHMM = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")


def explicit_times(values: list[str]) -> tuple[str, ...]:
    """HHMM values (TQ1-4 repetitions, or the ``&0800,2000`` part of a repeat) → HH:MM."""
    times = set()
    for value in values:
        for part in re.split(r"[,;&\s]+", value):
            m = _HHMM.match(part.strip())
            if m:
                times.add(f"{m[1]}:{m[2]}")
    return tuple(sorted(times))


def timing_from(pattern: str, times: list[str], prn: bool, words: str) -> Timing:
    """A repeat pattern code (Q6H, BID, PRN, ONCE…), explicit times and a PRN flag → Timing.

    Explicit times win (they are what the paper plan needs); anything else not understood
    becomes ``kind="text"`` with the source words, never dropped.
    """
    code, _, after = pattern.strip().upper().partition("&")
    code = code.replace(" ", "")
    text = words or pattern.strip()
    hhmm = explicit_times(times + ([after] if after else []))
    if prn or code == "PRN" or code.startswith("PRN"):
        every = _every_hours(code.removeprefix("PRN").strip())
        return Timing(kind="as_needed", min_interval_hours=every, text=text)
    if code in _ONCE:
        return Timing(kind="once", text=text)
    if hhmm:
        return Timing(kind="fixed_times", times=hhmm, text=text)
    if code in _PER_DAY:
        return Timing(kind="times_per_day", per_day=_PER_DAY[code], text=text)
    every = _every_hours(code)
    if every is not None and 0 < every <= 168:
        return Timing(kind="every_hours", every_hours=every, text=text)
    return Timing(kind="text", text=text or "rythme non précisé")


def _every_hours(code: str) -> float | None:
    m = _EVERY.match(code)
    if not m:
        return None
    n = float(m[1])
    return n if m[2] == "H" else n * 24
