"""An issued document for its screen: kind, patient or unit, pages, last print; page images.

A page image is the preview every browser shows (a kiosk Chromium may have no PDF viewer, and
the PDF may not be framed); it is rendered from the kept PDF with pdfium, on demand.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.records import Patient
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import forms, kind_title
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.issue import stored_pdf
from pcsauvegarde.station.station import Station

PREVIEW_DPI = 96            # an A4 page is ~800 px wide: legible on a 1366×768 screen
MAX_PREVIEW_PAGES = 200     # a page number beyond this is refused rather than rendered


@dataclass(frozen=True)
class DocumentInfo:
    """An issued document as its screen describes it."""

    number: str
    kind: str
    title: str
    issued_at: dt.datetime
    issued_by: str
    pages: int
    patient: Patient | None = None
    unit: str = ""
    unit_name: str = ""
    printed_at: dt.datetime | None = None   # last time it was sent to the printer
    printed_by: str = ""


def title_of(kind: str, form: str | None = None, templates_dir: Path | None = None) -> str:
    """The French title of a document kind (« Synthèse patient », « Impression du service »),
    or of the pre-identified form ``form``."""
    if kind == forms.KIND and form:
        try:
            return forms.get_form(form, templates_dir).title
        except TemplateError:   # a form since removed from the library: its id says enough
            return f"{forms.TITLE} « {form} »"
    return kind_title(kind)


def describe(station: Station, number: str) -> DocumentInfo | None:
    """The journal's line for ``number`` with its patient or unit, page count and last print."""
    doc = station.journal.get(number)
    pdf = stored_pdf(station, number) if doc else None
    if doc is None or pdf is None:
        return None
    pages = doc.get("pages") or page_count(pdf)
    patient = None
    if doc.get("ipp"):
        patient = next((r.patient for r in patients.search(station, doc["ipp"])
                        if r.patient.id == doc["ipp"]), None)
    unit = doc.get("unit") or ""
    printed = station.audit.last("document.printed", number)
    return DocumentInfo(number, doc["kind"], title_of(doc["kind"], doc.get("form"),
                                                station.settings.print_templates_path),
                        dt.datetime.fromisoformat(doc["issued_at"]), doc["issued_by"], pages,
                        patient, unit, patients.unit_names(station).get(unit, unit),
                        dt.datetime.fromisoformat(printed.at) if printed else None,
                        printed.actor if printed else "")


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_png(station: Station, number: str, page: int, dpi: int = PREVIEW_DPI) -> bytes | None:
    """Page ``page`` (1-based) of an issued document as a PNG, or None if it has no such page."""
    if not 0 < page <= MAX_PREVIEW_PAGES:
        return None
    pdf = stored_pdf(station, number)
    if pdf is None:
        return None
    import pypdfium2
    doc = pypdfium2.PdfDocument(pdf)
    try:
        if page > len(doc):
            return None
        image = doc[page - 1].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
