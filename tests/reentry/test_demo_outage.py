"""The demo station simulates a past outage once: a worklist with some progress."""

from __future__ import annotations

from pcsauvegarde.demo import outage as demo_outage
from pcsauvegarde.station.reentry import outage, worklist


def test_demo_outage_is_simulated_once(station):
    done = demo_outage.simulate(station)
    assert done is not None and done.window.end is not None
    assert done.window.label == demo_outage.LABEL
    items = worklist.items(station, done.window)
    assert len(items) == done.items >= 6
    assert {i.domain for i in items} == {"soins", "biologie", "stérilisation", "admissions"}
    counts = {p.key: p for p in worklist.progress(items, "domain")}
    assert sum(p.total - p.counts.get("a_ressaisir", 0) for p in counts.values()) == done.marked
    assert demo_outage.simulate(station) is None and len(outage.outages(station)) == 1
