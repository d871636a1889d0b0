"""Parse each TTF once per process: every document gets a fresh copy of the parsed font.

fpdf2's ``add_font`` re-reads and re-measures the whole TTF for every document (~130 ms per
style here); the measurements never change, only the per-document subset does. The font
table object MUST stay per document (fpdf2 subsets it in place when writing the PDF), so each
copy reopens it, lazily, from bytes kept in memory. Any surprise from fpdf2's internals falls
back to the slow, supported ``add_font``.
"""

from __future__ import annotations

import copy
import io
import logging
import threading
from pathlib import Path

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

log = logging.getLogger("pcsauvegarde.documents")
_LOCK = threading.Lock()
_PARSED: dict[tuple[Path, str], tuple[TTFFont, bytes]] = {}


def _parsed(path: Path, fontkey: str, style: str) -> tuple[TTFFont, bytes]:
    key = (path, style)
    with _LOCK:
        if key not in _PARSED:
            _PARSED[key] = (TTFFont(FPDF(), path, fontkey, style), path.read_bytes())
        return _PARSED[key]


def preload(family: str, files: dict[str, Path]) -> None:
    """Parse the fonts now (worker start-up) rather than on the first document."""
    for style, path in files.items():
        _parsed(Path(path), f"{family.lower()}{style}", style)


def add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)``, minus re-parsing the file every time."""
    fontkey = f"{family.lower()}{style}"
    if fontkey in pdf.fonts:
        return
    try:
        proto, data = _parsed(Path(path), fontkey, style)
        font = TTFFont.__new__(TTFFont)
        for slot in TTFFont.__slots__:
            if hasattr(proto, slot):
                setattr(font, slot, getattr(proto, slot))
        font.i = len(pdf.fonts) + 1
        font.fontkey = fontkey
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.cw = copy.copy(proto.cw)
        font.glyph_ids = dict(proto.glyph_ids)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.color_font = None
        font.subset = SubsetMap(font)
    except Exception as exc:  # noqa: BLE001 - any fpdf2 internals change: use the public API
        log.warning("font cache unusable (%s): parsing %s per document", exc, path)
        pdf.add_font(family, style, str(path))
        return
    pdf.fonts[fontkey] = font
