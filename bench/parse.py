"""Would a faster JSON parser pay? stdlib ``json`` against orjson and msgspec, on our lines.

The station parses every line of every package (``core/package/reader.py``, with
``json.JSONDecoder.scan_once``). Adopting another parser is worth it only if it cuts the full
ingest by at least 25 %: the saving on parsing alone is compared with the ingest's CPU time.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable

ADOPT_IF = 0.25


def _parsers() -> dict[str, Callable[[bytes], object]]:
    found: dict[str, Callable[[bytes], object]] = {"json": json.loads}
    for name in ("orjson", "msgspec"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        found[name] = module.loads if name == "orjson" else module.json.Decoder().decode
    return found


def compare(lines: list[bytes], ingest_cpu: float, out=print) -> dict[str, float]:
    """CPU seconds to parse ``lines`` with each parser (best of 3); print the verdict."""
    seconds = {}
    for name, parse in _parsers().items():
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            for line in lines:
                parse(line)
            best = min(best, time.process_time() - start)
        seconds[name] = best
    out(f"\nparsing {len(lines):,} lines (CPU, best of 3): " + ", ".join(
        f"{name} {s:.2f} s" for name, s in seconds.items()))
    for name, s in seconds.items():
        if name == "json":
            continue
        cut = (seconds["json"] - s) / ingest_cpu
        out(f"  {name}: full ingest {ingest_cpu:.2f} s CPU would lose at most "
            f"{seconds['json'] - s:.2f} s = {cut:.0%} "
            f"({'worth adopting' if cut >= ADOPT_IF else 'under 25 %: not adopted'})")
    if len(seconds) == 1:
        out("  orjson / msgspec not installed (pip install -e '.[bench]')")
    return seconds
