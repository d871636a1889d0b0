"""Printed documents: one module per kind, shared layout in base.py, registry below."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from pcsauvegarde.station.documents import (
    administration_plan,
    admission_kit,
    bundle,
    care_plan,
    census,
    lab_labels,
    lab_menu,
    lab_register,
    lab_request,
    lab_results,
    labels,
    patient_summary,
    prescriptions,
    schedule,
    wristband,
)
from pcsauvegarde.station.documents.base import DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.templates import load_template


class Renderer(Protocol):
    """A document kind: its data and the print context in, PDF bytes out (MUST be pure)."""

    def __call__(self, data: Any, ctx: DocumentContext, /) -> bytes: ...


class Drawer(Protocol):
    """A document kind drawn into an existing PDF, as its own document (bundles)."""

    def __call__(self, pdf: DocumentPDF, data: Any, ctx: DocumentContext, /) -> None: ...


# Patient documents: data is a PatientFile.
RENDERERS: dict[str, Renderer] = {
    patient_summary.KIND: patient_summary.render,
    administration_plan.KIND: administration_plan.render,
    prescriptions.KIND: prescriptions.render,
    care_plan.KIND: care_plan.render,
    labels.KIND: labels.render,
    wristband.KIND: wristband.render,
    admission_kit.KIND: admission_kit.render,
}

# Unit documents: data is a UnitFile.
UNIT_RENDERERS: dict[str, Renderer] = {
    census.KIND: census.render,
}
# Kinds that can share one PDF with others (a unit bundle): data as in the registries above.
DRAWERS: dict[str, Drawer] = {
    census.KIND: census.draw,
    administration_plan.KIND: administration_plan.draw,
    care_plan.KIND: care_plan.draw,
    prescriptions.KIND: prescriptions.draw,
    patient_summary.KIND: patient_summary.draw,
}
TITLES: dict[str, str] = {
    patient_summary.KIND: patient_summary.TITLE,
    administration_plan.KIND: administration_plan.TITLE,
    prescriptions.KIND: prescriptions.TITLE,
    care_plan.KIND: care_plan.TITLE,
    census.KIND: census.TITLE,
    labels.KIND: labels.TITLE,
    wristband.KIND: wristband.TITLE,
    admission_kit.KIND: admission_kit.TITLE,
    lab_labels.KIND: lab_labels.TITLE,
    lab_request.KIND: lab_request.TITLE,
    lab_register.KIND: lab_register.TITLE,
    lab_results.ENTRY_KIND: lab_results.ENTRY_TITLE,
    lab_results.CUMULATIVE_KIND: lab_results.CUMULATIVE_TITLE,
}


def check_templates(directory: Path | str | None = None) -> None:
    """Load every print template once; raise TemplateError (naming file and key) if one is bad.

    Called at start-up so that a broken template stops the station before an outage, not
    when a nurse prints.
    """
    load_template(patient_summary.KIND, patient_summary.SCHEMA, directory)
    schedule.load_standard_hours(directory)
    for module in (administration_plan, prescriptions, care_plan, census, bundle, labels,
                   wristband, lab_labels, lab_menu):
        module.load(directory)
