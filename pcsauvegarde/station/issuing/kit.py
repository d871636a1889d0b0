"""« Kit de démarrage »: a unit's pre-identified forms for the next 24 h, in one print job.

For each inpatient, in bed order, the chosen forms, each journalled on its own (number, form
id, patient, pages); then a cover listing them, the whole kit journalled under its own
number. The page count is estimated before anything is issued (:func:`plan_kit`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import bundle, forms
from pcsauvegarde.station.documents.base import DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.templates import TemplateError
from pcsauvegarde.station.issuing.bundling import Progress
from pcsauvegarde.station.issuing.issue import (
    Issued,
    IssueError,
    context,
    documents_dir,
    journal_file_document,
    snapshot_label,
)
from pcsauvegarde.station.station import Station


@dataclass(frozen=True)
class KitPlan:
    """What a kit will hold, known before printing: patients, forms, pages."""

    unit: str
    unit_name: str
    patients: int
    forms: tuple[forms.FormSpec, ...]
    pages_by_form: dict[str, int]     # form id → its pages for all the unit's patients
    cover_pages: int

    @property
    def documents(self) -> int:
        return self.patients * len(self.forms)

    @property
    def pages(self) -> int:
        """Pages of the kit, cover included."""
        return sum(self.pages_by_form.values()) + self.cover_pages


def offered_forms(unit: str | None, roles: tuple[str, ...] | list[str],
                  directory: Path | str | None = None) -> list[forms.FormSpec]:
    """The library's forms someone with ``roles`` may print for ``unit``, by title."""
    library = forms.load_library(directory)
    return sorted((f for f in library.values() if f.visible(unit, roles)),
                  key=lambda f: f.title.casefold())


def plan_kit(station: Station, unit: str, form_ids: list[str],
             roles: tuple[str, ...] | list[str]) -> KitPlan:
    """The kit of ``form_ids`` for ``unit`` and its page count, nothing issued (IssueError if
    a form is not offered there)."""
    directory = station.settings.print_templates_path
    offered = {f.id: f for f in offered_forms(unit, roles, directory)}
    unknown = [i for i in form_ids if i not in offered]
    if unknown or not form_ids:
        raise IssueError("formulaires à imprimer invalides pour ce service : "
                         f"{', '.join(unknown) or 'aucun'}")
    chosen = tuple(f for f in offered.values() if f.id in form_ids)   # once each, by title
    rows = patients.inpatients(station, unit)
    name = patients.unit_names(station).get(unit, unit)
    counter = PageCounter(directory)
    pages = dict.fromkeys((f.id for f in chosen), 0)
    for row in rows:
        file = patients.patient_file(station, row.patient.id)
        if file is None:
            continue
        for spec in chosen:
            pages[spec.id] += counter.pages(spec, file)
    return KitPlan(unit, name, len(rows), chosen, pages, _cover_pages(
        name, rows, chosen, f"{station.journal.prefix}-{0:07d}", directory))


class PageCounter:
    """Pages of a form for a patient, without output: the identity band's height is what
    changes from one patient to the next, so a form is drawn once per band height."""

    def __init__(self, templates_dir: Path | None = None) -> None:
        self._ctx = DocumentContext("—", "—", "—", dt.datetime.now(dt.UTC), None, "X",
                                    templates_dir=templates_dir)
        self._known: dict[tuple[str, bool, float], int] = {}

    def band_bottom(self, file: PatientFile, landscape: bool) -> float:
        pdf = DocumentPDF(self._ctx, "—", patient=file, landscape=landscape)
        pdf.add_page()
        return round(pdf.content_top, 1)

    def pages(self, spec: forms.FormSpec, file: PatientFile) -> int:
        key = (spec.id, spec.landscape, self.band_bottom(file, spec.landscape))
        if key not in self._known:
            pdf = DocumentPDF(self._ctx, spec.title)
            forms.draw(pdf, file, self._ctx, form=spec.id)
            self._known[key] = pdf.page
        return self._known[key]


def _cover_pages(unit_name: str, rows: list, chosen: tuple[forms.FormSpec, ...],
                 number: str, templates_dir: Path | None) -> int:
    """The cover drawn with the kit's real lines (``number``: one as long as the real ones),
    not output."""
    entries = tuple(bundle.BundleEntry(" / ".join(x for x in (r.room, r.bed) if x),
                                       f"{r.patient.birth_name.upper()} {r.patient.first_names}"
                                       f" (IPP {r.patient.id})", f.title, number, 9)
                    for r in rows for f in chosen)
    ctx = DocumentContext("—", "—", "—", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), None, "X",
                          templates_dir=templates_dir)
    pdf = DocumentPDF(ctx, bundle.KIT_TITLE, landscape=True)
    bundle.draw_cover(pdf, bundle.BundleCover("", unit_name, len(rows), entries), ctx, kit=True)
    return pdf.page


def issue_unit_kit(station: Station, unit: str, form_ids: list[str] | tuple[str, ...],
                   user: str, now: dt.datetime | None = None,
                   progress: Progress | None = None, *,
                   roles: tuple[str, ...] = ("admin",)) -> Issued:
    """Issue the kit: every chosen form for every inpatient in bed order, then the cover."""
    now = now or dt.datetime.now(dt.UTC)
    plan = plan_kit(station, unit, list(form_ids), roles)
    unit_file = patients.unit_file(station, unit)
    parts: list[bundle.BundlePart] = []
    for at, row in enumerate(unit_file.rows):
        if progress is not None:
            progress("patients", at, len(unit_file.rows), 0)
        file = patients.patient_file(station, row.patient.id, now=now)
        if file is None:  # vanished between the two queries (a pull promoted meanwhile)
            continue
        bed = " / ".join(x for x in (row.stay.room, row.stay.bed) if x)
        who = f"{row.patient.birth_name.upper()} {row.patient.first_names} (IPP {row.patient.id})"
        for spec in plan.forms:
            doc = journal_file_document(station, forms.KIND, file, user, now, form=spec.id)
            parts.append(bundle.BundlePart(
                functools.partial(forms.draw, form=spec.id), file,
                context(station, doc.number, user, now, file.extracted_at),
                bed, who, spec.title))
    doc = station.journal.issue(bundle.KIT_KIND, user, unit=unit,
                                snapshot=snapshot_label(station), now=now)
    try:
        rendered = bundle.render(unit, unit_file.name, len(unit_file.rows), parts,
                                 context(station, doc.number, user, now,
                                         unit_file.extracted_at),
                                 progress=functools.partial(progress, "documents")
                                 if progress is not None else None, kit=True)
    except TemplateError as exc:
        raise IssueError(str(exc)) from None
    atomic_write(documents_dir(station) / f"{doc.number}.pdf", rendered.pdf, mode=0o600)
    station.journal.place(doc.number, [(p.number, p.first_page, p.pages)
                                       for p in rendered.placed])
    station.journal.set_pages(doc.number, rendered.pages)
    return Issued(doc, rendered.pdf)


