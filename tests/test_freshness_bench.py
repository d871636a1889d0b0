"""The freshness benchmark, short: every change written at the source reaches the station once.

Publisher (watch mode) and station (real scheduler, folder transport) run as processes for
about a minute; data-age figures are printed by ``make bench``, only correctness is asserted.
"""

from __future__ import annotations

from bench.freshness import run
from bench.generate import Scale
from bench.stream import PER_HOUR


def test_every_change_arrives_exactly_once(tmp_path):
    lines: list[str] = []
    figures = run(Scale().small(), tmp_path, seconds=45, drain=40, out=lines.append)
    text = "\n".join(lines)
    assert figures["lost"] == [], text
    assert figures["duplicates"] == [], text
    assert figures["changes"] >= 15, text  # about 25 lab results alone in 45 s
    assert set(figures["domains"]) == {"dpi", "lab"}
    assert set(figures["kinds"]) >= {"lab_result", "administration"}
    assert set(PER_HOUR) >= set(figures["kinds"])
    assert "CPU share of one core" in text and "peak RSS" in text
