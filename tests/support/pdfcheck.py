"""Read back what a PDF says (pypdf) and what its barcodes scan to (pypdfium2 + zxing-cpp)."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import zxingcpp


def page_texts(pdf: bytes) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def barcodes(pdf: bytes, page: int = 0, dpi: int = 300) -> list[str]:
    """Every barcode zxing decodes on the rendered page."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return _decode(doc, page, dpi)
    finally:
        doc.close()


def page_barcodes(pdf: bytes, dpi: int = 300) -> list[set[str]]:
    """The decoded barcode texts of every page, rendered at ``dpi``."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [set(_decode(doc, page, dpi)) for page in range(len(doc))]
    finally:
        doc.close()


def _decode(doc: pypdfium2.PdfDocument, page: int, dpi: int) -> list[str]:
    image = doc[page].render(scale=dpi / 72).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image)]


def fonts_of(pdf: bytes, page: int, needle: str) -> set[str]:
    """Base font names used to draw text runs containing ``needle`` on a page."""
    found: set[str] = set()

    def visit(text, cm, tm, font_dict, font_size):
        if needle in text and font_dict:
            found.add(str(font_dict.get("/BaseFont")))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def font_sizes(pdf: bytes) -> set[float]:
    """Every font size set in the PDF's page contents (Tf operators)."""
    import io
    import re

    import pypdf

    sizes: set[float] = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        data = page.get_contents().get_data().decode("latin-1")
        sizes |= {float(s) for s in re.findall(r"/F\d+ ([\d.]+) Tf", data)}
    return sizes
