"""Transcribing one paper item: find what was printed, check what was typed, keep it.

The glue between the station's registers (journal, lab register, tray circulation, downtime
admissions, pharmacy extract), the checks (transcription_checks.py) and the records
(transcription.py). Each ``enter_*`` raises TranscriptionInvalid, NeedsConfirmation or
TranscriptionError with a French message, and keeps nothing then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pcsauvegarde.core.records import MedicationOrder, Patient, Product, WardStock
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.administration_plan import KIND as PLAN_KIND
from pcsauvegarde.station.documents.administration_plan import paper_slots
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.tray_load import KIND_OF
from pcsauvegarde.station.lab.register import LabError, register_of
from pcsauvegarde.station.reentry import transcription
from pcsauvegarde.station.reentry import transcription_checks as checks
from pcsauvegarde.station.reentry.transcription import Line, Transcription, TranscriptionError
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.sterilisation.circulation import CirculationRegister
from pcsauvegarde.station.sterilisation.entries import KINDS, CycleEntries, CycleEntry
from pcsauvegarde.station.store import catalogue

PHARMACY_KINDS = {"dotation": "dotation", "supplier_order": "supplier_order"}
CYCLE_FORMS = {form: kind for kind, form in KIND_OF.items()}   # load form → washer/autoclave


class NotFound(TranscriptionError):
    """The number typed or scanned names nothing this station issued (French message)."""


@dataclass(frozen=True)
class Plan:
    """A printed administration plan, as the clerk re-enters it."""

    number: str
    printed_at: dt.datetime
    file: PatientFile
    window: tuple[dt.datetime, dt.datetime]
    rows: list[tuple[MedicationOrder, list[dt.datetime]]]
    lines: dict[str, Transcription]   # current lines by key « order@slot »

    def boxes(self) -> list[tuple[MedicationOrder, list[tuple[dt.datetime | None,
                                                               Transcription | None]]]]:
        """Per order, its boxes (slot, line kept): the printed slots, then the entries kept
        outside a slot (as needed, protocol, continuous), then blank ones for more of them."""
        out = []
        for order, slots in self.rows:
            boxes: list[tuple[dt.datetime | None, Transcription | None]] = [
                (s, self.lines.get(f"{order.id}@{s.isoformat()}")) for s in slots]
            extra = sorted((t for t in self.lines.values()
                            if t.data.get("order_id") == order.id and not t.data.get("slot")),
                           key=lambda t: t.data.get("at") or "")
            boxes += [(None, t) for t in extra]
            if not slots:
                boxes += [(None, None)] * max(1, 2 - len(extra))
            out.append((order, boxes))
        return out


def is_known_ipp(station: Station, ipp: str) -> bool:
    """An IPP of the station's data (snapshot or downtime admission)."""
    return patients.patient_unit(station, ipp)[0]


def plan(station: Station, number: str) -> Plan:
    """The plan printed under ``number``, with the orders and boxes it asked to initial."""
    doc = station.journal.get(number)
    if doc is None or doc["kind"] != PLAN_KIND or not doc["ipp"]:
        raise NotFound(f"document {number[:80]} : pas un plan d'administration émis par ce "
                       "poste")
    printed_at = dt.datetime.fromisoformat(doc["issued_at"])
    file = patients.patient_file(station, doc["ipp"], now=printed_at)
    if file is None:
        raise NotFound(f"plan {number} : patient {doc['ipp']} absent des données du poste")
    window, rows = paper_slots(file, printed_at, station.settings.print_templates_path)
    lines = {t.line: t for t in transcription.current(station, "document", number)}
    return Plan(number, printed_at, file, window, rows, lines)


def enter_plan(station: Station, number: str, rows: Sequence[Mapping[str, str]], by: str, *,
               outage: checks.Window | None = None, confirmed: bool = False,
               reason: str = "", now: dt.datetime | None = None) -> list[Transcription]:
    """Keep the boxes of a plan as written (blank boxes are not transcriptions)."""
    now = now or dt.datetime.now(dt.UTC)
    p = plan(station, number)
    ctx = checks.PlanContext({o.id: o for o, _ in p.rows} | {o.id: o for o in p.file.orders},
                             p.window, outage, now)
    lines, errors = [], {}
    for i, row in enumerate(rows):
        try:
            line = checks.administration_line(row, ctx)
        except checks.TranscriptionInvalid as exc:
            errors.update({f"{k}-{i}": v for k, v in exc.errors.items()})
            continue
        if line is not None:
            lines.append(line)
    if errors:
        raise checks.TranscriptionInvalid(errors)
    if not lines:
        raise TranscriptionError(f"plan {number} : aucune case renseignée")
    return transcription.record(station, "administration", "document", number,
                                [_with_ipp(ln, p.file.patient.id) for ln in lines], by,
                                confirmed=confirmed, reason=reason, now=now)


def _with_ipp(line: Line, ipp: str) -> Line:
    return Line(line.line, {**line.data, "ipp": ipp}, line.warnings)


def enter_lab(station: Station, number: str, row: Mapping[str, str], by: str, *,
              outage: checks.Window | None = None, confirmed: bool = False,
              reason: str = "", now: dt.datetime | None = None) -> list[Transcription]:
    """Keep which patient a lab label went on and when the sample was taken."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        found = [e for e in register_of(station).search(number) if e.number == number]
    except LabError as exc:
        raise NotFound(str(exc)) from None
    if not found:
        raise NotFound(f"étiquette {number[:80]} : numéro jamais émis par ce poste")
    e = found[0]
    line = checks.lab_line(number, e.ipp, e.batch.issued_at, row,
                           lambda ipp: is_known_ipp(station, ipp), outage, now)
    data = {**line.data, "batch": e.batch.id, "document": e.batch.document_number,
            "urgent": e.batch.urgent, "tubes": e.batch.tubes}
    return transcription.record(station, "lab", "lab_label", number,
                                [Line("", data, line.warnings)], by, confirmed=confirmed,
                                reason=reason, now=now)


def circulation_of(station: Station) -> CirculationRegister:
    s = station.settings
    return CirculationRegister(station.state, s.sterilisation_circulation_range,
                               HighWater(s.high_water_path))


def enter_tray(station: Station, number: str, row: Mapping[str, str], by: str, *,
               outage: checks.Window | None = None, confirmed: bool = False,
               reason: str = "", now: dt.datetime | None = None) -> list[Transcription]:
    """Keep a tray's circulation number ↔ its sterilisation cycle ↔ the patient."""
    now = now or dt.datetime.now(dt.UTC)
    c = circulation_of(station).find(number)
    if c is None:
        raise NotFound(f"plateau {number[:80]} : numéro de circulation jamais émis par ce poste")
    cycle = checks.text(row.get("cycle"), 64)
    typed = [x for x in CycleEntries(station.state).recent(10_000) if x.cycle_number == cycle]
    ctx = checks.TrayContext(c.tray, c.recomposed_on, c.expiry,
                             typed[0].trays if typed else None)
    line = checks.tray_line(c.number, ctx, row, lambda ipp: is_known_ipp(station, ipp), outage,
                            now)
    data = {**line.data, "unit": c.unit, "cycle_entry": typed[0].id if typed else None,
            "sterilizer": typed[0].equipment if typed else "",
            "lot": typed[0].lot if typed else ""}
    return transcription.record(station, "sterilisation", "tray", c.number,
                                [Line("", data, line.warnings)], by, confirmed=confirmed,
                                reason=reason, now=now)


def cycle_form(station: Station, number: str) -> tuple[str, list[CycleEntry]]:
    """(washer or autoclave, the cycles of that kind typed on this station) of a load form."""
    doc = station.journal.get(number)
    if doc is None or doc["kind"] not in CYCLE_FORMS:
        raise NotFound(f"document {number[:80]} : pas une fiche de charge (laveur ou "
                       "autoclave) émise par ce poste")
    kind = CYCLE_FORMS[doc["kind"]]
    return kind, [e for e in CycleEntries(station.state).recent(500) if e.kind == kind]


def enter_cycle(station: Station, number: str, entry_id: int, by: str, *,
                now: dt.datetime | None = None) -> list[Transcription]:
    """Tie a load form (journalled ``number``) to the cycle typed from it
    (sterilisation/entries.py keeps the cycle itself: no second copy here)."""
    kind, typed = cycle_form(station, number)
    entry = next((e for e in typed if e.id == entry_id), None)
    if entry is None:
        raise NotFound(f"fiche {number} : cycle saisi n° {entry_id} introuvable parmi les "
                       f"cycles de {KINDS[kind]}")
    return transcription.record(station, "sterilisation", "document", number,
                                [Line(f"cycle-{entry.id}", {"cycle_entry": entry.id})], by,
                                now=now)


def enter_merge(station: Station, provisional_ipp: str, real_ipp: str, by: str, *,
                confirmed: bool = False, reason: str = "",
                now: dt.datetime | None = None) -> list[Transcription]:
    """Keep the real IPP a provisional identity is merged into (the merge list)."""
    register = patients.admissions_of(station)
    admission = register.get(provisional_ipp)
    if admission is None:
        raise NotFound(f"IPP provisoire {provisional_ipp[:80]} : aucune admission en mode "
                       "dégradé de ce poste")
    provisional, _ = patients.records_of(admission)
    file = patients.patient_file(station, checks.text(real_ipp, 64))
    real: Patient | None = file.patient if file and not file.provisional else None
    line = checks.merge_line(provisional, real_ipp, real,
                             lambda ipp: register.get(ipp) is not None)
    return transcription.record(station, "admission", "admission", admission.ipp, [line], by,
                                confirmed=confirmed, reason=reason, now=now)


def pharmacy_expected(station: Station, number: str) -> tuple[str, dict[str, int | None]]:
    """(item kind, products the document listed) of a dotation or supplier order form."""
    doc = station.journal.get(number)
    if doc is None or doc["kind"] not in PHARMACY_KINDS:
        raise NotFound(f"document {number[:80]} : pas une dotation ni un bon de commande émis "
                       "par ce poste")
    if doc["kind"] == "dotation":
        stock = catalogue.records_of(station.store, WardStock)
        return "dotation", {s.product_id: s.quantity for s in stock if s.unit == doc["unit"]}
    return "supplier_order", {p.id: None for p in catalogue.records_of(station.store, Product)}


def product_labels(station: Station) -> dict[str, str]:
    return {p.id: p.label for p in catalogue.records_of(station.store, Product)}


def enter_pharmacy(station: Station, number: str, rows: Sequence[Mapping[str, str]], by: str,
                   *, confirmed: bool = False, reason: str = "",
                   now: dt.datetime | None = None) -> list[Transcription]:
    """Keep the quantities delivered (dotation) or ordered (order form) per product."""
    item_kind, expected = pharmacy_expected(station, number)
    labels = product_labels(station)
    lines, errors = [], {}
    for i, row in enumerate(rows):
        try:
            line = checks.pharmacy_line(number, row, expected, labels)
        except checks.TranscriptionInvalid as exc:
            errors.update({f"{k}-{i}": v for k, v in exc.errors.items()})
            continue
        if line is not None:
            lines.append(Line(line.line, {**line.data, "kind": item_kind}, line.warnings))
    if errors:
        raise checks.TranscriptionInvalid(errors)
    if not lines:
        raise TranscriptionError(f"document {number} : aucune quantité renseignée")
    return transcription.record(station, "pharmacy", item_kind, number, lines, by,
                                confirmed=confirmed, reason=reason, now=now)
