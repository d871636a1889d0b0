"""A discharged patient's care documents: no plan, the discharge date in large type instead."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.station.documents.base import FAMILY, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.context import PatientFile


def discharged_at(file: PatientFile, now: dt.datetime) -> dt.datetime | None:
    """When the patient left, if the stay on file ended at or before ``now``."""
    stay = file.stay
    if stay is not None and stay.discharge is not None and stay.discharge <= now:
        return stay.discharge
    return None


def draw_notice(pdf: DocumentPDF, title: str, note: str) -> None:
    """In place of a plan: ``title`` (with the date) large, why, in a crossed-out frame."""
    top = pdf.y + 4
    pdf.set_xy(MARGIN + 4, top + 4)
    pdf.set_font(FAMILY, "B", 18)
    pdf.text_lines(pdf.epw - 8, 9, title)
    pdf.set_x(MARGIN + 4)
    pdf.set_font(FAMILY, "", 11)
    pdf.text_lines(pdf.epw - 8, 5.5, note)
    bottom = pdf.y + 4
    pdf.set_line_width(1.2)
    pdf.rect(MARGIN, top, pdf.epw, bottom - top)
    pdf.line(MARGIN, top, MARGIN + pdf.epw, bottom)   # crossed out: no plan to follow
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, bottom + 2)
