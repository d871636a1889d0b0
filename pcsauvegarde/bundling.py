"""« Imprimer le service »: every chosen document of every inpatient of a unit, in one PDF.

Each document inside is issued on its own (own number in the journal, own PDF kept, page n/N
restarting), then the bundle — a cover page plus the documents in bed order — is journalled
under its own number. Documents are rendered one after another and kept on disk, so memory
stays flat in the number of patients until the final concatenation.
"""

from __future__ import annotations

import datetime as dt
import io

from pcsauvegarde.documents import RENDERERS, TITLES, UNIT_RENDERERS, bundle
from pcsauvegarde.fsutil import atomic_write
from pcsauvegarde.issuing import (
    Issued,
    IssueError,
    context,
    documents_dir,
    issue_file_document,
    issue_unit_document,
    snapshot_label,
)
from pcsauvegarde.station import Station
from pcsauvegarde.store import queries

# Order of the documents inside a bundle: unit documents first, then per patient.
BUNDLE_KINDS = ("census", "administration_plan", "care_plan", "prescriptions", "summary")


def issue_unit_bundle(station: Station, unit: str, kinds: list[str] | tuple[str, ...],
                      user: str, now: dt.datetime | None = None) -> Issued:
    """Issue the chosen kinds for a unit's inpatients and the bundle holding them all."""
    now = now or dt.datetime.now(dt.UTC)
    unknown = [k for k in kinds if k not in BUNDLE_KINDS]
    if unknown or not kinds:
        raise IssueError(f"documents à imprimer invalides : {', '.join(unknown) or 'aucun'}")
    chosen = [k for k in BUNDLE_KINDS if k in kinds]
    unit_file = queries.unit_file(station.store, unit)
    numbers: list[str] = []
    entries: list[bundle.BundleEntry] = []

    def keep(issued: Issued, bed: str, patient: str) -> None:
        pages = bundle.page_count(issued.pdf)
        station.journal.set_pages(issued.document.number, pages)
        numbers.append(issued.document.number)
        entries.append(bundle.BundleEntry(bed, patient, TITLES[issued.document.kind],
                                          issued.document.number, pages))

    for kind in chosen:
        if kind in UNIT_RENDERERS:
            keep(issue_unit_document(station, kind, unit_file, user, now), "", "")
    patient_kinds = [k for k in chosen if k in RENDERERS]
    for row in unit_file.rows if patient_kinds else ():
        file = queries.patient_file(station.store, row.patient.id, now=now)
        if file is None:  # vanished between the two queries (a pull promoted meanwhile)
            continue
        bed = " / ".join(x for x in (row.stay.room, row.stay.bed) if x)
        who = f"{row.patient.birth_name.upper()} {row.patient.first_names} (IPP {row.patient.id})"
        for kind in patient_kinds:
            keep(issue_file_document(station, kind, file, user, now), bed, who)

    doc = station.journal.issue(bundle.KIND, user, unit=unit, snapshot=snapshot_label(station),
                                now=now)
    cover = bundle.render_cover(
        bundle.BundleCover(unit, unit_file.name, len(unit_file.rows), tuple(entries)),
        context(station, doc.number, user, now, unit_file.extracted_at))
    folder = documents_dir(station)
    parts = (cover, *((folder / f"{n}.pdf").read_bytes() for n in numbers))
    out = io.BytesIO()
    pages = bundle.concatenate(parts, out)
    pdf = out.getvalue()
    atomic_write(folder / f"{doc.number}.pdf", pdf, mode=0o600)
    station.journal.set_pages(doc.number, pages)
    return Issued(doc, pdf)
