"""Code 128 barcodes as vector SVG, sized for scanners (module 0.25 mm, quiet zones)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache

import barcode
from barcode.writer import SVGWriter

MODULE_WIDTH_MM = 0.25   # narrowest bar: ~3 px at 300 dpi, read by any hospital scanner
QUIET_ZONE_MM = 3.0      # ≥ 10 modules of white each side, as Code 128 requires
_MM = re.compile(rb'="([\d.]+)mm"')
_SIZE = re.compile(rb'<svg[^>]*width="([\d.]+)mm" height="([\d.]+)mm"')
_RECT = re.compile(rb'<rect x="([\d.]+)mm" y="([\d.]+)mm" width="([\d.]+)mm" height="([\d.]+)mm"')


@dataclass(frozen=True)
class Barcode:
    """An SVG barcode and its natural size in millimetres (print it at that size)."""

    svg: bytes
    width: float
    height: float
    bars: tuple[tuple[float, float, float, float], ...] = ()  # x, y, w, h in mm, from the SVG


@lru_cache(maxsize=1024)
def code128(value: str, bar_height: float = 8.0) -> Barcode:
    """Render ``value`` as a Code 128 SVG; cached per value since every page repeats it."""
    out = io.BytesIO()
    options = {"module_width": MODULE_WIDTH_MM, "module_height": bar_height,
               "quiet_zone": QUIET_ZONE_MM, "write_text": False,
               "margin_top": 0.0, "margin_bottom": 0.0,
               # No SVG background: its 100 % rect overflows once placed; the page paints it.
               "background": None}
    barcode.get("code128", value, writer=SVGWriter()).write(out, options=options)
    svg = out.getvalue()
    size = _SIZE.search(svg)
    if size is None:  # python-barcode changed its output: fail loudly, not with a bad print
        raise RuntimeError("python-barcode SVG without width/height in mm")
    bars = tuple((float(x), float(y), float(w), float(h))
                 for x, y, w, h in (m.groups() for m in _RECT.finditer(svg)))
    width, height = size.group(1), size.group(2)
    # Unitless coordinates plus a viewBox: fpdf2 then maps the SVG exactly onto w × h mm.
    svg = _MM.sub(rb'="\1"', svg).replace(
        b"<svg ", b'<svg viewBox="0 0 ' + width + b" " + height + b'" ', 1)
    return Barcode(svg, float(width), float(height), bars)


@lru_cache(maxsize=1024)
def module_bars(value: str, bar_height: float = 8.0) -> str | None:
    """The bars as PDF rectangles « x 0 w 1 re » in module units, from the top of the bars.

    None if the bars are not all one height from one top (python-barcode changed).
    """
    code = code128(value, bar_height)
    if {(by, bh) for _, by, _, bh in code.bars} != {(0.0, code.height)}:
        return None
    return " ".join(f"{round(bx / MODULE_WIDTH_MM)} 0 {round(bw / MODULE_WIDTH_MM)} 1 re"
                    for bx, _, bw, _ in code.bars)


QR_QUIET_MODULES = 4      # the QR quiet zone (ISO/IEC 18004), in modules


@dataclass(frozen=True)
class QRCode:
    """A QR code as dark runs per row, printed ``module`` mm a module, quiet zone included."""

    value: str
    modules: int                               # symbol side in modules, without quiet zone
    runs: tuple[tuple[int, int, int], ...]     # (row, first column, length) of dark modules
    module: float

    @property
    def side(self) -> float:
        """Printed side in mm, quiet zones included."""
        return (self.modules + 2 * QR_QUIET_MODULES) * self.module

    width = height = side


@lru_cache(maxsize=256)
def qr_code(value: str, module: float = 0.5) -> QRCode:
    """``value`` as a QR code (error correction M, boosted when free); cached per value."""
    import segno

    symbol = segno.make_qr(value, error="m")
    runs = []
    for r, row in enumerate(symbol.matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return QRCode(value, len(symbol.matrix), tuple(runs), module)


@lru_cache(maxsize=1024)
def code128_width(value: str) -> float:
    """Printed width in mm of ``value`` as Code 128, quiet zones included (no SVG built)."""
    modules = barcode.get("code128", value).build()[0]
    return len(modules) * MODULE_WIDTH_MM + 2 * QUIET_ZONE_MM


def fits_code128(value: str, max_width: float) -> bool:
    """Whether ``value`` prints as a scannable Code 128 within ``max_width`` mm; else a 2D code
    MUST be used (a narrower module would not scan reliably on a 300 dpi printer)."""
    return code128_width(value) <= max_width + 1e-6
