"""« Admission en mode dégradé »: identity label sheet(s) and the wristband, in one print job."""

from __future__ import annotations

from pcsauvegarde.station.documents import labels, wristband
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.labelstock import StockPDF

KIND = "admission"
TITLE = "Étiquettes et bracelet d'identification"


def render(file: PatientFile, ctx: DocumentContext, *, count: int | None = None) -> bytes:
    """Label sheet(s) first, then the wristband page (pure)."""
    label_layout = labels.load(ctx.templates_dir)
    band_layout = wristband.load(ctx.templates_dir)
    pdf = StockPDF(ctx, TITLE)
    pdf.patient_file = file
    labels.add_label_pages(pdf, label_layout, file, count)
    wristband.add_wristband_pages(pdf, band_layout, file)
    return pdf.output_bytes()
