"""What the record says was given, as grid entries: slots matched to traces, initials, PRN checks.

Traces name the nurse by initials (« CM »), with a legend of initials on the document, so that
a trace fits its cell at 7 pt. A PRN dose given before its minimum interval since the previous
one is flagged on the trace itself.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable

from pcsauvegarde.core.records import MedicationAdministration, MedicationOrder
from pcsauvegarde.station.documents.fmt import dose_text, format_hours, format_time
from pcsauvegarde.station.documents.grid import Entry
from pcsauvegarde.station.documents.templates import Template

MAX_TOLERANCE = dt.timedelta(hours=2)


class Initials:
    """Initials of the people who signed traces: unique within one document, with a legend."""

    def __init__(self, names: Iterable[str]) -> None:
        self._of: dict[str, str] = {}
        taken: dict[str, str] = {}
        for name in sorted({clean_name(n) for n in names if n.strip()}):
            words = name.split()
            short = "".join(w[0] for w in words[:3]).upper() or name[:2]
            extra = 1
            candidate = short
            while candidate in taken and taken[candidate] != name:
                # Same initials for two people: add letters of the last name until unique.
                tail = words[-1] if words else name
                candidate = short + tail[1:1 + extra].lower()
                extra += 1
                if extra > len(tail) + 1:
                    candidate = f"{short}{extra}"
            taken[candidate] = name
            self._of[name] = candidate

    def of(self, name: str) -> str:
        """The initials printed for ``name`` (the name itself if never registered)."""
        return self._of.get(clean_name(name), clean_name(name))

    def legend(self) -> str:
        """« CM Claire Moreau · JP Julien Petit »; empty when nobody signed."""
        return " · ".join(f"{short} {name}" for name, short in
                          sorted(self._of.items(), key=lambda x: x[1]))


def clean_name(name: str) -> str:
    """« Marie-Claire Dupont (IDE) » → « Marie-Claire Dupont »."""
    return " ".join(re.sub(r"\s*\([^)]*\)", "", name).split())


def recorded(t: Template, a: MedicationAdministration, initials: Initials,
             flag: str = "") -> Entry:
    """One trace of the record: ✓/✗, its time, dose given or status, who (initials)."""
    done = a.status in ("given", "partial")
    detail = [dose_text(a.dose_given)] if done and a.dose_given else []
    if a.status not in ("given", "not_given"):   # ✓ and ✗ say those two
        detail.append(t.text(f"status.{a.status}"))
    if a.by:
        detail.append(initials.of(a.by))
    return Entry(format_time(a.at), "✓" if done else "✗", " · ".join(detail),
                 bold=not done, flag=flag)


def scheduled_marks(t: Template, slots: list[dt.datetime],
                    given: list[MedicationAdministration], boundary: dt.datetime,
                    initials: Initials) -> list[tuple[dt.datetime, Entry]]:
    """Slots before the extract matched to what was recorded; later ones get a box."""
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    tolerance = min([MAX_TOLERANCE] + [g / 2 for g in gaps])
    unused = list(given)
    marks = []
    for slot in slots:
        if slot >= boundary:
            marks.append((slot, Entry(format_time(slot), box=True)))
            continue
        near = [a for a in unused if abs(a.at - slot) <= tolerance]
        if near:
            a = min(near, key=lambda a: abs(a.at - slot))
            unused.remove(a)
            marks.append((a.at, recorded(t, a, initials)))
        else:
            marks.append((slot, Entry(format_time(slot), "?", t.text("status.missing"),
                                      bold=True)))
    marks.extend((a.at, recorded(t, a, initials)) for a in unused)
    return marks


def too_close(order: MedicationOrder, given: list[MedicationAdministration]
              ) -> dict[str, MedicationAdministration]:
    """PRN doses given sooner than the minimum interval after the previous dose given.

    Maps the administration id to the previous dose it is too close to.
    """
    hours = order.timing.min_interval_hours
    if not hours:
        return {}
    done = sorted((a for a in given if a.status in ("given", "partial")), key=lambda a: a.at)
    return {b.id: a for a, b in itertools.pairwise(done)
            if b.at - a.at < dt.timedelta(hours=hours)}


def prn_marks(t: Template, order: MedicationOrder, given: list[MedicationAdministration],
              initials: Initials) -> tuple[list[tuple[dt.datetime, Entry]], list[str]]:
    """The PRN traces (flagged when too close) and, for the description, each breach."""
    close = too_close(order, given)
    hours = format_hours(order.timing.min_interval_hours or 0)
    marks, breaches = [], []
    for a in given:
        flag = ""
        if a.id in close:
            before = close[a.id]
            flag = t.text("prn.too_close", hours=hours, previous=format_time(before.at))
            breaches.append(t.text("prn.breach", hours=hours, previous=format_time(before.at),
                                   at=format_time(a.at)))
        marks.append((a.at, recorded(t, a, initials, flag)))
    return marks, breaches
