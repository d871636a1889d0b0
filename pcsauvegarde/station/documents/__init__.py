"""Printed documents: one module per kind, shared layout in base.py, one registry below.

Adding a kind MUST mean one module (KIND, TITLE, ``render``, optionally ``draw`` and ``load``)
plus one entry in :data:`KINDS`; the station issues, bundles and checks it from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from pcsauvegarde.station.documents import (
    administration_history,
    administration_plan,
    admission_kit,
    bundle,
    care_plan,
    census,
    consultation_calls,
    directory,
    discharge_prescription,
    dotation,
    exercise_report,
    forms,
    identity,
    imaging_report,
    imaging_schedule,
    inventory,
    lab_labels,
    lab_menu,
    lab_register,
    lab_request,
    lab_results,
    labels,
    or_schedule,
    or_traceability,
    patient_summary,
    preop,
    prescriptions,
    procedure,
    reentry_report,
    schedule,
    supplier_order,
    transfer_pack,
    tray_labels,
    tray_list,
    tray_load,
    tray_transfer,
    unit_prescriptions,
    unit_request,
    wristband,
)
from pcsauvegarde.station.documents.base import DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.templates import TemplateError


class Renderer(Protocol):
    """A document kind: its data and the print context in, PDF bytes out (MUST be pure)."""

    def __call__(self, data: Any, ctx: DocumentContext, /) -> bytes: ...


class Drawer(Protocol):
    """A document kind drawn into an existing PDF, as its own document (bundles)."""

    def __call__(self, pdf: DocumentPDF, data: Any, ctx: DocumentContext, /) -> None: ...


Scope = Literal["patient", "unit", "lab", "sterilisation", "supplier", "imaging",
                "pharmacy", "theatre", "station"]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of printed document, as the station issues it.

    ``scope``: "patient" (data is a PatientFile), "unit" (data is a UnitFile, or another
    unit-keyed file with ``code`` and ``extracted_at``: the pharmacy's WardStockList),
    "lab" (data is the lab module's own dataclass; issued by station/lab only),
    "sterilisation" (data is one of station.sterilisation.papers, issued by that
    package), "supplier" (data is an OrderForm; journalled with no patient, no unit) or
    "imaging" (data is one of station.imaging.model, issued by station/imaging for the
    imaging department: a schedule with no patient, a report form with its exam's patient).
    "pharmacy" (the PUI's own papers: its inventory, the directory; no patient, no unit).
    "theatre" (data is an OR list of station.theatre.model spanning units: journalled with no
    patient, no unit).
    "station" (about the station itself: the procedure page; no patient, no unit).
    ``draw`` is None for kinds that cannot share a PDF with others (label stock).
    ``templates``: the printtemplates/ files it reads, checked at start-up by ``load``.
    """

    name: str
    title: str
    scope: Scope
    render: Renderer
    draw: Drawer | None
    templates: tuple[str, ...]
    load: Callable[[Path | str | None], Any]


def _both(*loaders: Callable[[Path | str | None], Any]) -> Callable[[Path | str | None], None]:
    def load(directory: Path | str | None = None) -> None:
        for loader in loaders:
            loader(directory)
    return load


def _no_template(directory: Path | str | None = None) -> None:
    """For kinds that read no print template."""


KINDS: dict[str, DocumentKind] = {k.name: k for k in (
    DocumentKind(patient_summary.KIND, patient_summary.TITLE, "patient", patient_summary.render,
                 patient_summary.draw, ("summary.toml",), patient_summary.load),
    DocumentKind(administration_plan.KIND, administration_plan.TITLE, "patient",
                 administration_plan.render, administration_plan.draw,
                 ("administration_plan.toml", "schedule.toml"),
                 _both(administration_plan.load, schedule.load_standard_hours)),
    DocumentKind(prescriptions.KIND, prescriptions.TITLE, "patient", prescriptions.render,
                 prescriptions.draw, ("prescriptions.toml", "schedule.toml"),
                 _both(prescriptions.load, schedule.load_standard_hours)),
    DocumentKind(care_plan.KIND, care_plan.TITLE, "patient", care_plan.render, care_plan.draw,
                 ("care_plan.toml", "schedule.toml"),
                 _both(care_plan.load, schedule.load_standard_hours)),
    DocumentKind(preop.KIND, preop.TITLE, "patient", preop.render, preop.draw,
                 ("summary.toml",), patient_summary.load),
    DocumentKind(administration_history.KIND, administration_history.TITLE, "patient",
                 administration_history.render, administration_history.draw,
                 ("administration_plan.toml",), administration_plan.load),
    DocumentKind(discharge_prescription.KIND, discharge_prescription.TITLE, "patient",
                 discharge_prescription.render, discharge_prescription.draw, (), _no_template),
    DocumentKind(labels.KIND, labels.TITLE, "patient", labels.render, None, ("labels.toml",),
                 labels.load),
    DocumentKind(wristband.KIND, wristband.TITLE, "patient", wristband.render, None,
                 ("wristband.toml",), wristband.load),
    DocumentKind(admission_kit.KIND, admission_kit.TITLE, "patient", admission_kit.render, None,
                 ("labels.toml", "wristband.toml", "lab_labels.toml"),
                 _both(labels.load, wristband.load, lab_labels.load)),
    DocumentKind(census.KIND, census.TITLE, "unit", census.render, census.draw,
                 ("census.toml",), census.load),
    DocumentKind(lab_labels.KIND, lab_labels.TITLE, "lab", lab_labels.render, None,
                 ("lab_labels.toml",), lab_labels.load),
    DocumentKind(lab_request.KIND, lab_request.TITLE, "lab", lab_request.render, None,
                 ("lab_request.toml", "lab_labels.toml"),
                 _both(lab_menu.load, lab_labels.load)),
    DocumentKind(lab_register.KIND, lab_register.TITLE, "lab", lab_register.render,
                 lab_register.draw, (), _no_template),
    DocumentKind(lab_results.ENTRY_KIND, lab_results.ENTRY_TITLE, "lab",
                 lab_results.render_entry, None, ("lab_request.toml",), lab_menu.load),
    DocumentKind(lab_results.CUMULATIVE_KIND, lab_results.CUMULATIVE_TITLE, "lab",
                 lab_results.render_cumulative, lab_results.draw_cumulative,
                 ("lab_request.toml",), lab_menu.load),
    *(DocumentKind(kind, title, "sterilisation", render, None, (), _no_template)
      for kind, title, render in (
          (tray_list.KIND, tray_list.TITLE, tray_list.render),
          (tray_labels.KIND, tray_labels.TITLE, tray_labels.render),
          (tray_load.WASHER_KIND, tray_load.WASHER_TITLE, tray_load.render),
          (tray_load.AUTOCLAVE_KIND, tray_load.AUTOCLAVE_TITLE, tray_load.render),
          (tray_transfer.RECEPTION_KIND, tray_transfer.RECEPTION_TITLE, tray_transfer.render),
          (tray_transfer.DELIVERY_KIND, tray_transfer.DELIVERY_TITLE, tray_transfer.render),
          (or_traceability.KIND, or_traceability.TITLE, or_traceability.render))),
    DocumentKind(dotation.KIND, dotation.TITLE, "unit", dotation.render, dotation.draw,
                 ("dotation.toml",), dotation.load),
    DocumentKind(supplier_order.KIND, supplier_order.TITLE, "supplier", supplier_order.render,
                 supplier_order.draw, ("supplier_order.toml",), supplier_order.load),
    DocumentKind(imaging_schedule.KIND, imaging_schedule.TITLE, "imaging",
                 imaging_schedule.render, imaging_schedule.draw, ("imaging_schedule.toml",),
                 imaging_schedule.load),
    DocumentKind(imaging_report.KIND, imaging_report.TITLE, "imaging", imaging_report.render,
                 imaging_report.draw, ("imaging_report.toml",), imaging_report.load),
    DocumentKind(consultation_calls.KIND, consultation_calls.TITLE, "unit",
                 consultation_calls.render, consultation_calls.draw,
                 ("consultation_calls.toml",), consultation_calls.load),
    DocumentKind(unit_request.KIND, unit_request.TITLE, "unit", unit_request.render,
                 unit_request.draw, ("unit_request.toml",), unit_request.load),
    DocumentKind(inventory.UNIT_KIND, inventory.UNIT_TITLE, "unit", inventory.render,
                 inventory.draw, ("inventory.toml",), inventory.load),
    DocumentKind(inventory.PUI_KIND, inventory.PUI_TITLE, "pharmacy", inventory.render,
                 inventory.draw, ("inventory.toml",), inventory.load),
    DocumentKind(unit_prescriptions.KIND, unit_prescriptions.TITLE, "unit",
                 unit_prescriptions.render, unit_prescriptions.draw,
                 ("unit_prescriptions.toml", "prescriptions.toml", "schedule.toml"),
                 _both(unit_prescriptions.load, prescriptions.load,
                       schedule.load_standard_hours)),
    DocumentKind(directory.KIND, directory.TITLE, "pharmacy", directory.render, directory.draw,
                 ("directory.toml",), directory.load),
    DocumentKind(or_schedule.KIND, or_schedule.TITLE, "theatre", or_schedule.render,
                 or_schedule.draw, (), _no_template),
    DocumentKind(procedure.KIND, procedure.TITLE, "station", procedure.render, None, (),
                 _no_template),
    # One kind for every pre-identified form; ``form=<id>`` says which (journalled too).
    DocumentKind(forms.KIND, forms.TITLE, "patient", forms.render, forms.draw,
                 ("forms/",), forms.load),
)}


# Kinds the station journals without a DocumentKind of their own: containers and reports.
OTHER_TITLES = {bundle.KIND: bundle.TITLE, bundle.KIT_KIND: bundle.KIT_TITLE,
                transfer_pack.KIND: transfer_pack.TITLE,
                exercise_report.KIND: exercise_report.TITLE,
                reentry_report.KIND: reentry_report.TITLE}


def kind_title(kind: str) -> str:
    """The French title of a journalled kind (the code itself only for a kind since removed)."""
    registered = KINDS.get(kind)
    return registered.title if registered else OTHER_TITLES.get(kind, kind)


def document_kind(name: str, scope: Scope | None = None) -> DocumentKind | None:
    """The registered kind ``name`` (of ``scope`` when given), or None."""
    found = KINDS.get(name)
    return found if found is not None and scope in (None, found.scope) else None


def check_templates(directory: Path | str | None = None) -> None:
    """Load every print template once; raise TemplateError (naming file and key) if one is bad.

    ``directory`` is the hospital's override directory (settings). Called at start-up so that
    a broken template stops the station before an outage, not when a nurse prints; a file
    there that no document reads (a misspelt name) is refused too, not ignored in silence.
    """
    if directory is not None:
        folder = Path(directory)
        if not folder.is_dir():
            raise TemplateError(f"{folder} : dossier des modèles d'impression introuvable "
                                "(réglage print_templates_dir)")
        known = {"identity.toml", "bundle.toml",
                 *(name for kind in KINDS.values() for name in kind.templates)}
        for path in sorted(folder.glob("*.toml")):
            if path.name not in known:
                names = ", ".join(sorted(n.removesuffix(".toml") for n in known))
                raise TemplateError(f"{path} : modèle inconnu, aucun document ne le lit "
                                    f"(noms possibles : {names})")
    identity.load(directory)   # the identity band of every patient document
    bundle.load(directory)
    for kind in KINDS.values():
        kind.load(directory)
