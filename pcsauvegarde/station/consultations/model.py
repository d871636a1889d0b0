"""What consultation documents are drawn from (no store access: documents import it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.core.records import Appointment
from pcsauvegarde.station.documents.context import ScheduledPatient

# Appointment.status as the clinic reads it.
STATUS_FR = {"booked": "confirmé", "arrived": "patient arrivé", "fulfilled": "patient vu",
             "cancelled": "annulé", "noshow": "patient absent"}


def status_text(status: str) -> str:
    """An appointment status in French; an unknown code is shown quoted, never dropped."""
    return STATUS_FR.get(status, f"statut « {status} »" if status else "—")


@dataclass(frozen=True)
class CallLine:
    """One appointment of a call list and its patient (None: unknown to the station)."""

    appointment: Appointment
    who: ScheduledPatient | None


@dataclass(frozen=True)
class CallList:
    """One clinic's appointments of one (local) day: the data of « consultation_calls ».

    ``code`` is the clinic's unit (the document is journalled under it)."""

    code: str
    name: str
    day: dt.date
    clinics: tuple[str, ...] = ()      # consultation names the appointments give
    lines: tuple[CallLine, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class CallWeek:
    """One clinic's call lists of several days, printed as one document (a page per day)."""

    code: str
    name: str
    days: tuple[CallList, ...] = ()
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
