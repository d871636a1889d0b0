"""Issue lab labels: allocate, journal, render, keep, print, and journal the print outcome.

Written once for the lab screens, the admission kit and the CLI. Numbers are in the register
before anything is rendered; a render or print that fails leaves the batch listed as « à
réimprimer » with its numbers, never lost and never given again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import lab_labels, lab_menu, lab_request
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.lab_labels import LabLabel, LabLabelSet
from pcsauvegarde.station.documents.lab_request import LabRequestForm
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.issue import context, render, snapshot_label, stored_pdf
from pcsauvegarde.station.issuing.send import send_document
from pcsauvegarde.station.lab.ranges import LabRange
from pcsauvegarde.station.lab.register import Batch, LabError, LabRegister, register_of
from pcsauvegarde.station.printing.retry import PrintOutcome
from pcsauvegarde.station.station import Station


@dataclass(frozen=True)
class LabIssued:
    """A batch with its document (``pdf``), and the print outcome when it was sent."""

    batch: Batch
    pdf: bytes
    outcome: PrintOutcome | None = None


@dataclass(frozen=True)
class LabelRequest:
    """What a lab screen or command asks for (checked by ``issue_labels``)."""

    sets: int = 1                     # lab numbers (blank batch: patients; patient: requests)
    tubes: int = 4                    # tubes per number
    ipp: str | None = None            # a known or provisional patient, else blank labels
    tube_types: tuple[str, ...] = ()  # per tube position, "" to write by hand
    urgent: bool = False
    format: str = "a4"
    kind: str = ""                    # blank / patient / admission (default from ``ipp``)


def label_set(rng: LabRange, batch: Batch, file: PatientFile | None, tube_types: tuple[str, ...],
              fmt: str) -> LabLabelSet:
    """The labels of an allocated batch: every number × every tube, in order."""
    labels = tuple(
        LabLabel(rng.tube(number, tube), number, tube, batch.tubes,
                 tube_types[tube - 1] if tube <= len(tube_types) else "")
        for number in batch.numbers for tube in range(1, batch.tubes + 1))
    return LabLabelSet(labels, file, batch.urgent, fmt)


def issue_labels(station: Station, req: LabelRequest, user: str, *, send: bool = False,
                 now: dt.datetime | None = None) -> LabIssued:
    """Allocate a batch, journal and render its labels, keep the PDF, print when asked.

    Raises LabError (nothing allocated) for a bad request or a range with too few numbers.
    """
    now = now or dt.datetime.now(dt.UTC)
    if req.format not in lab_labels.FORMATS:
        raise LabError(f"format « {req.format} » inconnu ({', '.join(lab_labels.FORMATS)})")
    register = register_of(station)
    file = None
    if req.ipp:
        file = patients.patient_file(station, req.ipp, now=now)
        if file is None:
            raise LabError(f"patient IPP {req.ipp} introuvable dans les données de la station")
    layout = _layout(station)
    if req.sets * req.tubes > layout["content.max_labels"]:
        raise LabError(f"{req.sets} × {req.tubes} = {req.sets * req.tubes} étiquettes : "
                       f"{layout['content.max_labels']} au plus par impression ; rien n'a été "
                       "attribué")
    kind = req.kind or ("patient" if file else "blank")
    unit = file.stay.unit if file and file.stay else None
    batch = register.allocate(kind, req.sets, req.tubes, user, ipp=req.ipp, unit=unit,
                              urgent=req.urgent, now=now)
    return _issue(station, register, batch, label_set(register.range, batch, file,
                                                      req.tube_types, req.format),
                  user, send, now)


def _issue(station: Station, register: LabRegister, batch: Batch, data: LabLabelSet,
           user: str, send: bool, now: dt.datetime) -> LabIssued:
    doc = station.journal.issue(lab_labels.KIND, user, ipp=batch.ipp, unit=batch.unit,
                                snapshot=snapshot_label(station), now=now)
    register.set_document(batch.id, doc.number)
    extracted = data.patient.extracted_at if data.patient else {}
    try:
        pdf = render(station, lab_labels.KIND, data,
                     context(station, doc.number, user, now, extracted))
    except TemplateError as exc:
        register.mark_printed(batch.id, False, str(exc))
        raise LabError(f"numéros {batch.numbers[0]}… réservés mais étiquettes non produites : "
                       f"{exc}") from None
    atomic_write(station.settings.documents_dir / f"{doc.number}.pdf", pdf, mode=0o600)
    batch = register.batch(batch.id) or batch
    if not send:
        return LabIssued(batch, pdf)
    return _send(station, register, batch, doc.number, pdf, user)


def _send(station: Station, register: LabRegister, batch: Batch, number: str, pdf: bytes,
          user: str) -> LabIssued:
    outcome = send_document(station, number, pdf, user)   # journals the print on the batch
    return LabIssued(register.batch(batch.id) or batch, pdf, outcome)


def issue_request_form(station: Station, req: LabelRequest, user: str, *, send: bool = False,
                       now: dt.datetime | None = None) -> LabIssued:
    """A request form for one new lab number of a patient, with that number's tube labels."""
    now = now or dt.datetime.now(dt.UTC)
    if not req.ipp:
        raise LabError("un bon de demande est toujours établi pour un patient")
    if req.format not in lab_labels.FORMATS:
        raise LabError(f"format « {req.format} » inconnu ({', '.join(lab_labels.FORMATS)})")
    register = register_of(station)
    file = patients.patient_file(station, req.ipp, now=now)
    if file is None:
        raise LabError(f"patient IPP {req.ipp} introuvable dans les données de la station")
    try:
        lab_menu.load(station.settings.print_templates_path)
    except TemplateError as exc:
        raise LabError(str(exc)) from None
    unit = file.stay.unit if file.stay else None
    batch = register.allocate("patient", 1, req.tubes, user, ipp=req.ipp, unit=unit,
                              urgent=req.urgent, now=now)
    labels = label_set(register.range, batch, file, req.tube_types, "a4")
    form = LabRequestForm(file, batch.numbers[0], labels)
    doc = station.journal.issue(lab_request.KIND, user, ipp=req.ipp, unit=unit,
                                snapshot=snapshot_label(station), now=now)
    register.set_document(batch.id, doc.number)
    try:
        pdf = render(station, lab_request.KIND, form,
                     context(station, doc.number, user, now, file.extracted_at))
    except TemplateError as exc:
        register.mark_printed(batch.id, False, str(exc))
        raise LabError(f"numéro {batch.numbers[0]} réservé mais bon non produit : {exc}") from None
    atomic_write(station.settings.documents_dir / f"{doc.number}.pdf", pdf, mode=0o600)
    batch = register.batch(batch.id) or batch
    return _send(station, register, batch, doc.number, pdf, user) if send else LabIssued(batch,
                                                                                          pdf)


def reprint(station: Station, batch_id: int, user: str) -> LabIssued:
    """Print a batch again from its kept document (same numbers), journalling the outcome."""
    register = register_of(station)
    batch = register.batch(batch_id)
    if batch is None:
        raise LabError(f"lot n° {batch_id} inconnu du registre")
    pdf = stored_pdf(station, batch.document_number) if batch.document_number else None
    if pdf is None:
        raise LabError(f"lot n° {batch_id} : aucun document conservé à réimprimer")
    return _send(station, register, batch, batch.document_number, pdf, user)


def _layout(station: Station):
    try:
        return lab_labels.load(station.settings.print_templates_path)
    except TemplateError as exc:
        raise LabError(str(exc)) from None
