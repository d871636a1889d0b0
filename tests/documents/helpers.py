"""Read back rendered PDFs: text per page, barcodes per page, fonts of a text run."""

from __future__ import annotations

import io

import pypdf
import pypdfium2 as pdfium
import zxingcpp


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of every page."""
    return [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_barcodes(pdf: bytes, dpi: int = 300) -> list[set[str]]:
    """The decoded barcode texts of every page, rendered at ``dpi``."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return [{b.text for b in zxingcpp.read_barcodes(doc[i].render(scale=dpi / 72).to_pil())}
                for i in range(len(doc))]
    finally:
        doc.close()


def fonts_of(pdf: bytes, page: int, needle: str) -> set[str]:
    """Base font names used to draw text runs containing ``needle`` on a page."""
    found: set[str] = set()

    def visit(text, cm, tm, font_dict, font_size):
        if needle in text and font_dict:
            found.add(str(font_dict.get("/BaseFont")))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found
