"""The benchmark runs end to end on a small hospital, so it cannot rot.

Figures are printed, not asserted: a shared CI machine is too noisy for timing targets.
"""

from __future__ import annotations

import dataclasses

import pytest

from bench.__main__ import run
from bench.generate import Scale


@pytest.mark.slow
def test_bench_small_runs(tmp_path):
    lines: list[str] = []
    scale = dataclasses.replace(Scale().small(), lab_results=5000)  # keeps the test short
    figures = run(scale, tmp_path, out=lines.append)
    text = "\n".join(lines)
    assert "station full ingest (5 packages)" in text and "one-minute delta" in text
    assert figures["full_s"] > 0 and figures["delta_s"] > 0 and 0 < figures["rss_mb"] < 500


@pytest.mark.slow
def test_forms_kit_bench_runs_and_announces_what_it_prints():
    from bench.forms_kit import run
    lines: list[str] = []
    figures = run(3, out=lines.append)
    assert "Kit de démarrage, 3 patients × 4 forms" in lines[0]
    assert figures["announced"] == figures["pages"] > 3
