"""Read back what a PDF says (pypdf) and what its barcodes scan to (pypdfium2 + zxing-cpp)."""

from __future__ import annotations

import io

import pypdf
import pypdfium2
import zxingcpp


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def barcodes(pdf: bytes, page: int = 0, dpi: int = 300) -> list[str]:
    """Every barcode zxing decodes on the rendered page."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        image = doc[page].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    return [b.text for b in zxingcpp.read_barcodes(image)]
