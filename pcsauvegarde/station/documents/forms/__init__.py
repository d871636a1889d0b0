"""Pre-identified downtime forms: the hospital's blank sheets, printed with the patient's identity.

Each form is declared in ``printtemplates/forms/<id>.toml`` (spec.py) and drawn by layout.py
with the identity band, the degraded-mode footer and, on every page, a barcode carrying the
document number and the page. One document kind (``form``) for them all: the form id is an
option of ``render``/``draw`` and is journalled with the number.
"""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.station.documents.base import DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.forms.layout import draw_form
from pcsauvegarde.station.documents.forms.spec import FormSpec, load_library
from pcsauvegarde.station.documents.templates import TemplateError

KIND = "form"
TITLE = "Formulaire pré-identifié"

__all__ = ["KIND", "TITLE", "FormSpec", "draw", "get_form", "load", "load_library", "render"]


def load(directory: Path | str | None = None) -> dict[str, FormSpec]:
    """Every form of the library, validated (TemplateError names the file and the key)."""
    return load_library(directory)


def get_form(form_id: str, directory: Path | str | None = None) -> FormSpec:
    """The form ``form_id`` of the library; TemplateError if there is none."""
    if not form_id:   # the kind's render/draw without ``form=``: a caller's mistake, said
        raise TemplateError("formulaire non précisé (form=<identifiant>)")
    library = load_library(directory)
    if form_id not in library:
        raise TemplateError(f"formulaire « {form_id} » absent de la bibliothèque "
                            f"(forms/{form_id}.toml)")
    return library[form_id]


def render(file: PatientFile, ctx: DocumentContext, *, form: str = "") -> bytes:
    """One form for one patient as PDF bytes (pure: records in, bytes out)."""
    spec = get_form(form, ctx.templates_dir)
    pdf = DocumentPDF(ctx, spec.title, landscape=spec.landscape)
    draw_form(pdf, spec, file, ctx)
    return pdf.output_bytes()


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext, *, form: str = "") -> None:
    """Add one form for one patient, as its own document, to ``pdf`` (a kit)."""
    draw_form(pdf, get_form(form, ctx.templates_dir), file, ctx)
