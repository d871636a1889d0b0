"""What OR documents print (pure data): the day's cases per room, one line per case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.core.records import SurgeryCase
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.fmt import format_date


@dataclass(frozen=True)
class OrLine:
    """One intervention as the schedule prints it."""

    case: SurgeryCase
    file: PatientFile | None               # None: patient absent from the station's data
    blood: str = ""                        # group and RAI, in one line (bloodbank's words)
    blood_alert: bool = False              # no group, discordance, RAI expired or positive
    trays: tuple[str, ...] = ()            # « code — name » of the planned trays
    sheets: tuple[str, ...] = ()           # numbers of traceability sheets issued that day

    @property
    def unit(self) -> str | None:
        return self.file.stay.unit if self.file and self.file.stay else None


@dataclass(frozen=True)
class RoomDay:
    room: str
    lines: tuple[OrLine, ...]


@dataclass(frozen=True)
class OrSchedule:
    """The cases of one Paris day, per room (one room when ``room`` is set)."""

    day: dt.date
    rooms: tuple[RoomDay, ...]
    room: str = ""
    hidden: int = 0        # cases outside the user's units, not shown (counted, said)
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
    code: str = ""         # journalled unit: the patients' one unit, else none (see schedule)

    @property
    def heading(self) -> str:
        where = f" — {self.room}" if self.room else ""
        return f"Planning des interventions du {format_date(self.day)}{where}"
