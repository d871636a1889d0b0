"""Text from source systems: control and bidi-override characters removed, and counted."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

# C0/C1 controls (tab and newline kept: multi-line comments), the bidi embeddings,
# overrides and isolates (U+202E shows « evil » as « live »), and the implicit marks.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> tuple[str, bool]:
    """``value`` without control or bidi-override characters; True when some were removed."""
    cleaned = UNSAFE.sub("", value)
    return cleaned, cleaned != value


def clean_data(data: Any) -> tuple[Any, int]:
    """Every string inside ``data`` (dicts, lists) cleaned; how many strings changed."""
    if isinstance(data, str):
        text, changed = clean_text(data)
        return text, int(changed)
    if isinstance(data, dict):
        out, total = {}, 0
        for key, value in data.items():
            out[key], n = clean_data(value)
            total += n
        return out, total
    if isinstance(data, (list, tuple)):
        items = [clean_data(v) for v in data]
        return type(data)(v for v, _ in items), sum(n for _, n in items)
    return data, 0


# A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection);
# « | » and « % » too in some (DDE, macros).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|", "%")
CSV_BOM = "\ufeff"   # French Excel reads UTF-8 accents only after a byte-order mark


def csv_safe(value: object) -> str:
    """A cell a spreadsheet MUST NOT run as a formula: a leading quote neutralises it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as French-spreadsheet CSV: BOM, « ; » separator, CRLF, every cell formula-safe."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()
