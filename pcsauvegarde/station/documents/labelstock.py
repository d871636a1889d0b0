"""Label stock: layouts read from ``printtemplates/<kind>.toml`` and a PDF for label pages.

A label layout mixes measures (mm), choices and texts, so it has its own small loader: every
key of the schema MUST be present, with the right type and within bounds; unknown keys are
refused — a calibration typo must fail loudly, not print labels astride two stickers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pcsauvegarde.station.documents.barcodes import MODULE_WIDTH_MM, QUIET_ZONE_MM, code128
from pcsauvegarde.station.documents.base import FAMILY, GREY, INK, DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local, freshness
from pcsauvegarde.station.documents.templates import TemplateError, _check_placeholders, read_toml


@dataclass(frozen=True)
class Number:
    """A measure or count: type and bounds."""

    low: float
    high: float
    integer: bool = False


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    """A printed text and the ``{placeholders}`` it MAY use."""

    placeholders: tuple[str, ...] = ()


Spec = Mapping[str, "Number | Choice | Text"]


@dataclass(frozen=True)
class Layout:
    """A validated label layout, values by dotted key (``"sheet.rows"``)."""

    path: Path
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def text(self, key: str, **values: Any) -> str:
        return str(self.values[key]).format_map(values)


def load_layout(kind: str, spec: Spec, directory: Path | str | None = None) -> Layout:
    """Load and check ``<directory>/<kind>.toml`` against ``spec`` (French errors)."""
    path, data = read_toml(kind, directory)
    flat = _flatten(data)
    for key in spec:
        if key not in flat:
            raise TemplateError(f"{path} : clé « {key} » absente")
    values: dict[str, Any] = {}
    for key, value in flat.items():
        rule = spec.get(key)
        if rule is None:
            raise TemplateError(f"{path} : clé « {key} » inconnue")
        values[key] = _check(path, key, value, rule)
    return Layout(path, values)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = value
    return out


def _check(path: Path, key: str, value: Any, rule: Any) -> Any:
    where = f"{path} : clé « {key} »"
    if isinstance(rule, Number):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                rule.integer and not isinstance(value, int)):
            kind = "nombre entier" if rule.integer else "nombre (millimètres)"
            raise TemplateError(f"{where} : {kind} attendu")
        if not rule.low <= value <= rule.high:
            raise TemplateError(f"{where} : {value} hors limites ({rule.low:g} à {rule.high:g})")
        return value
    if isinstance(rule, Choice):
        if value not in rule.values:
            raise TemplateError(f"{where} : « {value} » invalide ({', '.join(rule.values)})")
        return value
    if not isinstance(value, str):
        raise TemplateError(f"{where} : texte entre guillemets attendu")
    _check_placeholders(path, key, value, rule.placeholders)
    return value


@lru_cache(maxsize=1024)
def bar_runs(value: str) -> tuple[tuple[int, int], ...]:
    """Code 128 bars of ``value`` as (first module, module count) runs (python-barcode)."""
    import barcode

    modules = barcode.get("code128", value).build()[0]
    return tuple((m.start(), len(m.group())) for m in re.finditer("1+", modules))


def bars_width(value: str) -> float:
    """Width in mm of :func:`draw_bars` output, quiet zones included (= ``code128().width``)."""
    runs = bar_runs(value)
    return sum(runs[-1]) * MODULE_WIDTH_MM + 2 * QUIET_ZONE_MM


FOOTER_ROOM = 13.0   # mm of bottom margin needed for the compact page footer


class StockPDF(DocumentPDF):
    """Pages of label stock (no header; compact footer in the bottom margin when it fits)
    mixed, in one PDF, with ordinary A4 document pages (``kind="document"``)."""

    def __init__(self, ctx: DocumentContext, title: str) -> None:
        super().__init__(ctx, title)
        self.set_auto_page_break(False)
        self.page_kind = "document"
        self.footer_room = 0.0
        # What the next page will be: applied in header(), after fpdf2 has drawn the footer of
        # the previous page (add_page() calls footer() of the old page first).
        self._next: tuple[str, float, str] = ("document", 0.0, title)
        self._fitted: dict[tuple, tuple[str, float]] = {}

    def add_stock_page(self, width: float, height: float, footer_room: float) -> None:
        """A page of label stock ``width`` × ``height`` mm; ``footer_room``: free bottom mm."""
        self._next = ("stock", footer_room, self._next[2])
        orientation = "L" if width > height else "P"
        self.add_page(orientation=orientation, format=(min(width, height), max(width, height)))

    def add_document_page(self, title: str, landscape: bool = False) -> None:
        """An ordinary A4 page with the standard header, identity band and footer."""
        self._next = ("document", 0.0, title)
        self.add_page(orientation="L" if landscape else "P", format="A4")

    def set_stock_title(self, title: str) -> None:
        """Title printed in the footers of the next pages."""
        self._next = (self._next[0], self._next[1], title)

    def header(self) -> None:
        self.page_kind, self.footer_room, self.doc_title = self._next
        if self.page_kind == "document":
            super().header()
        elif self.ctx.exercise:
            self._watermark("EXERCICE")

    def footer(self) -> None:
        if self.page_kind == "document":
            super().footer()
        elif self.footer_room >= FOOTER_ROOM:
            self._stock_footer()

    def fitted(self, w: float, text: str, style: str = "", size: float = 9,
               min_size: float = 7.0) -> tuple[str, float]:
        """As DocumentPDF.fitted, remembered: a sheet repeats the same texts 24 times and
        measuring a TTF string is the costly part."""
        key = (w, text, style, size, min_size)
        found = self._fitted.get(key)
        if found is None:
            found = self._fitted[key] = super().fitted(w, text, style, size, min_size)
        else:
            self.set_font(FAMILY, style, found[1])
        return found

    def bars(self, value: str, x: float, y: float, height: float) -> float:
        """Code 128 of ``value`` drawn as filled rectangles, same geometry as ``barcode()``.

        Label sheets repeat a barcode 24 times a page: rectangles cost ~0.1 ms where fpdf2's
        SVG path costs ~20 ms, which matters for a whole unit's sheets in one job."""
        width = bars_width(value)
        with self.local_context(fill_color=255):
            self.rect(x, y, width, height, style="F")
        with self.local_context(fill_color=0):
            for start, count in bar_runs(value):
                self.rect(x + QUIET_ZONE_MM + start * MODULE_WIDTH_MM, y,
                          count * MODULE_WIDTH_MM, height, style="F")
        return width

    def has_page_footer(self) -> bool:
        return self.page_kind == "document" or self.footer_room >= FOOTER_ROOM

    def _stock_footer(self) -> None:
        """Freshness, printed at/by/on, page n/N, document number and its barcode (≈ 9 mm)."""
        ctx = self.ctx
        code = code128(ctx.document_number, 5.0)
        left, top = 6.0, self.h - 4 - 9.5
        text_w = self.w - 2 * left - code.width - 3
        self.set_text_color(*INK)
        self.set_xy(left, top + 0.5)
        self.fit_cell(text_w, 3.5, freshness(ctx.extracted_at, ctx.printed_at), "B", 7.5)
        self.set_text_color(*GREY)
        self.set_xy(left, top + 4.5)
        # Page first: if the line must be cut, the station name goes, not « page n/N ».
        self.fit_cell(text_w, 3, f"Page {self.page_no()}/{{nb}} — {self.doc_title} — imprimé le "
                                 f"{format_local(ctx.printed_at)} par {ctx.printed_by} sur "
                                 f"{ctx.station}", "", 7)
        self.set_text_color(*INK)
        x = self.w - left - code.width
        self.barcode(ctx.document_number, x, top, 5.0)
        self.set_xy(x, top + code.height + 0.3)
        self.fit_cell(code.width, 2.8, f"N° {ctx.document_number}", "", 7, align="C")
