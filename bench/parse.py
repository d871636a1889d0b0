"""Would a faster JSON parser pay? stdlib ``json`` against orjson and msgspec, on our lines.

The station parses every line of every package (``core/package/reader.py``). Another parser
is worth it only if it cuts the full ingest by at least 25 %. The reader uses orjson, so the
stdlib ingest is estimated as the measured ingest + (json - orjson) parsing time, and each
parser's saving is taken against that.
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
    if "orjson" not in seconds:
        return seconds
    stdlib = ingest_cpu - seconds["orjson"] + seconds["json"]
    out(f"  full ingest with orjson (the reader's): {ingest_cpu:.2f} s CPU; with the stdlib "
        f"parser, about {stdlib:.2f} s")
    for name, s in seconds.items():
        if name != "json":
            cut = (seconds["json"] - s) / stdlib
            out(f"  {name}: cuts the stdlib ingest by {cut:.0%} "
                f"({'≥' if cut >= ADOPT_IF else '<'} 25 %)")
    if "msgspec" not in seconds:
        out("  msgspec not installed (pip install msgspec)")
    return seconds
