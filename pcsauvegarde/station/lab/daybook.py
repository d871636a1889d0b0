"""The day's register of lab numbers: what the paper binder holds, printed and journalled."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import lab_register
from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.documents.lab_register import RegisterDay, RegisterLine
from pcsauvegarde.station.issuing.issue import context, render, snapshot_label
from pcsauvegarde.station.lab.register import register_of
from pcsauvegarde.station.station import Station


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight in Paris (23 or 25 hours on clock-change days), as UTC."""
    start = dt.datetime.combine(day, dt.time(), PARIS)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), PARIS)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def register_day(station: Station, day: dt.date) -> RegisterDay:
    """The numbers issued on ``day`` with each patient's identity when known."""
    register = register_of(station)
    names: dict[str, str] = {}
    lines = []
    for e in register.on_day(*day_bounds(day)):
        patient = ""
        if e.ipp:
            if e.ipp not in names:
                file = patients.patient_file(station, e.ipp)
                p = file.patient if file else None
                names[e.ipp] = (f"{e.ipp} — {p.birth_name.upper()} {p.first_names}, "
                                f"{p.birth_date:%d/%m/%Y}" if p else e.ipp)
            patient = names[e.ipp]
        b = e.batch
        lines.append(RegisterLine(b.issued_at, e.number, b.id, b.kind_label, b.tubes, patient,
                                  b.unit or "", b.issued_by, b.document_number,
                                  b.status_label))
    gaps = tuple(f"{first} à {last}" for first, last, _ in
                 register.numbering.gaps(register.range.serial))
    return RegisterDay(day, station.settings.station_id, register.range.describe(),
                       register.remaining(), tuple(lines), gaps)


def issue_register_day(station: Station, day: dt.date, user: str,
                       now: dt.datetime | None = None) -> tuple[str, bytes]:
    """Journal, render and keep the day's register; (document number, PDF)."""
    now = now or dt.datetime.now(dt.UTC)
    data = register_day(station, day)
    doc = station.journal.issue(lab_register.KIND, user, snapshot=snapshot_label(station),
                                now=now)
    extracted = patients.extracted_at(station)
    pdf = render(station, lab_register.KIND, data,
                 context(station, doc.number, user, now, extracted))
    atomic_write(station.settings.documents_dir / f"{doc.number}.pdf", pdf, mode=0o600)
    return doc.number, pdf
