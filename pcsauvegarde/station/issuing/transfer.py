"""Issue « Documents de sortie / de transfert »: a patient's papers in one job (guide 2.5).

Each document of the pack is journalled on its own (number, pages), then the pack — its
cover first — under its own number; the journal records where each document lies, so any of
them can be previewed and reprinted alone (as unit bundles).
"""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import (
    KINDS,
    administration_history,
    bundle,
    discharge_prescription,
    forms,
    kind_title,
    lab_results,
    patient_summary,
    prescriptions,
    transfer_pack,
)
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.fmt import format_local, to_local
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.documents.transfer_pack import IssuedPaper, TransferPack
from pcsauvegarde.station.issuing.issue import (
    Issued,
    IssueError,
    context,
    documents_dir,
    journal_file_document,
)
from pcsauvegarde.station.lab.register import LabError, register_of
from pcsauvegarde.station.station import Station

# What each pack holds, in order (the cover comes first): a discharge gets an « ordonnance de
# sortie » to sign, a transfer the current prescriptions as they stand.
PACK_KINDS = {
    "discharge": (patient_summary.KIND, discharge_prescription.KIND,
                  administration_history.KIND, lab_results.CUMULATIVE_KIND),
    "transfer": (patient_summary.KIND, prescriptions.KIND, administration_history.KIND,
                 lab_results.CUMULATIVE_KIND),
}
MAX_DESTINATION = 200


def pack_data(station: Station, file: PatientFile, purpose: str, destination: str = "",
              now: dt.datetime | None = None) -> TransferPack:
    """The cover's facts: papers issued for the patient, pending results, imaging exams."""
    if purpose not in PACK_KINDS:
        raise IssueError(f"motif « {purpose} » inconnu (sortie ou transfert)")
    now = now or dt.datetime.now(dt.UTC)
    ipp = file.patient.id
    issued = tuple(IssuedPaper(d["number"], _title(station, d), dt.datetime.fromisoformat(
        d["issued_at"]), d["issued_by"], d["pages"]) for d in station.journal.documents_of(ipp))
    exams = tuple(patients.imaging_exams_of(station, ipp))
    return TransferPack(file, purpose, destination.strip()[:MAX_DESTINATION], issued,
                        tuple(_pending(station, file, exams, now)), exams)


def _title(station: Station, doc: dict) -> str:
    kind = str(doc["kind"])
    if kind == forms.KIND and doc.get("form"):
        try:
            return forms.get_form(str(doc["form"]), station.settings.print_templates_path).title
        except TemplateError:
            return f"formulaire « {doc['form']} »"
    return kind_title(kind)


def _pending(station: Station, file: PatientFile, exams, now: dt.datetime) -> list[str]:
    """Results not in yet: provisional lab results, samples sent under downtime numbers,
    planned imaging exams."""
    out = [f"{r.label} prélevé le {format_local(r.collected_at)} : résultat provisoire "
           f"({r.value} {r.unit}".rstrip() + "), résultat définitif à venir"
           for r in file.lab_results if r.status == "preliminary"]
    try:
        entries = register_of(station).search(file.patient.id)
    except LabError:
        entries = []   # no lab range on this station: no downtime sample numbers to list
    out += [f"Prélèvement n° {e.number} (étiquettes de panne du "
            f"{format_local(e.batch.issued_at)}) : résultat à récupérer auprès du laboratoire"
            for e in entries if e.ipp == file.patient.id]
    # an exam of the day not done yet is pending even once its time has passed (delays)
    day_start = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    out += [f"Examen d'imagerie prévu le {format_local(e.scheduled_at)} : {e.label}"
            for e in exams if e.status == "planned" and e.scheduled_at >= day_start]
    return out


def issue_transfer_pack(station: Station, ipp: str, user: str, purpose: str,
                        destination: str = "", now: dt.datetime | None = None) -> Issued:
    """Journal each document and the pack, render them into one PDF, keep it."""
    now = now or dt.datetime.now(dt.UTC)
    file = patients.patient_file(station, ipp, now=now)
    if file is None:
        raise IssueError(f"patient IPP {ipp} introuvable dans les données de la station")
    pack = pack_data(station, file, purpose, destination, now)
    who = f"{file.patient.birth_name.upper()} {file.patient.first_names} (IPP {ipp})"
    parts = []
    for kind in PACK_KINDS[purpose]:
        drawer = KINDS[kind].draw
        if drawer is None:   # every pack kind can share a PDF (tested): a programming error
            raise IssueError(f"« {kind} » ne peut pas être imprimé dans un dossier")
        number = journal_file_document(station, kind, file, user, now).number
        parts.append(bundle.BundlePart(drawer, file,
                                       context(station, number, user, now, file.extracted_at),
                                       "", who, KINDS[kind].title))
    doc = journal_file_document(station, transfer_pack.KIND, file, user, now)
    try:
        rendered = transfer_pack.render_pack(
            pack, parts, context(station, doc.number, user, now, file.extracted_at))
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", rendered.pdf, mode=0o600)
    station.journal.place(doc.number, [(p.number, p.first_page, p.pages)
                                       for p in rendered.placed])
    station.journal.set_pages(doc.number, rendered.pages)
    return Issued(doc, rendered.pdf)
