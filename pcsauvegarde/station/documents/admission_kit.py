"""« Admission en mode dégradé »: identity label sheet(s), the wristband and, when the station
has a lab range, the patient's pre-numbered lab labels, in one print job."""

from __future__ import annotations

from pcsauvegarde.station.documents import lab_labels, labels, wristband
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.labelstock import StockPDF

KIND = "admission"
TITLE = "Étiquettes et bracelet d'identification"


def render(file: PatientFile, ctx: DocumentContext, *, count: int | None = None,
           lab: lab_labels.LabLabelSet | None = None) -> bytes:
    """Label sheet(s) first, then the wristband page, then the lab labels (pure)."""
    label_layout = labels.load(ctx.templates_dir)
    band_layout = wristband.load(ctx.templates_dir)
    pdf = StockPDF(ctx, TITLE)
    pdf.patient_file = file
    labels.add_label_pages(pdf, label_layout, file, count)
    wristband.add_wristband_pages(pdf, band_layout, file)
    if lab is not None:
        lab_labels.add_label_pages(pdf, lab_labels.load(ctx.templates_dir), lab)
    return pdf.output_bytes()
