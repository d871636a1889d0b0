"""What each sterilisation document is given to print (pure data: records in, bytes out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pcsauvegarde.core.records import SterilisationCycle, SurgeryCase
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.sterilisation.catalogue import TrayCard
from pcsauvegarde.station.sterilisation.circulation import Circulation

WASHER, AUTOCLAVE = "washer", "autoclave"
RECEPTION, DELIVERY = "reception", "delivery"


@dataclass(frozen=True)
class TrayLists:
    """Composition / recomposition lists of some trays (one tray per page at least)."""

    cards: tuple[TrayCard, ...]
    recomposed_on: dt.date
    operator: str = ""                    # empty: a line to write on
    heading: str = ""                     # « Plateaux du service … », « Bloc du … »
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class TrayLabel:
    card: TrayCard
    circulation: Circulation


@dataclass(frozen=True)
class TrayLabels:
    labels: tuple[TrayLabel, ...]
    stock: str = "sheet"                  # « sheet » (A4, 2 × 7) or « thermal » (100 × 50 mm)
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadForm:
    """A washer or autoclave load: pre-filled when trays were chosen, blank otherwise."""

    kind: str                             # WASHER or AUTOCLAVE
    cards: tuple[TrayCard, ...] = ()
    circulations: dict[str, str] = field(default_factory=dict)   # tray code → number
    equipment: str = ""                   # « Autoclave 2 (AUTOCLAVE-2) »; empty: to write
    cycle_number: str = ""
    lot: str = ""
    at: dt.datetime | None = None
    program: str = ""
    operator: str = ""
    problems: tuple[str, ...] = ()        # beyond the cards' own (a cycle's missing tray…)
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
    decision: str = ""                    # typed on screen: « released » / « rejected »
    entered: str = ""                     # « saisi à l'écran le … par … » when typed


@dataclass(frozen=True)
class TransferNote:
    """Trays received back from a unit, or delivered to it, with their circulation numbers."""

    kind: str                             # RECEPTION or DELIVERY
    unit: str = ""
    unit_name: str = ""
    cards: tuple[TrayCard, ...] = ()
    circulations: dict[str, str] = field(default_factory=dict)
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class OrSheet:
    """Patient traceability of one intervention: the trays used, with their cycle and lot."""

    case: SurgeryCase
    patient: PatientFile | None           # None: the patient is not in the station's data
    cards: tuple[TrayCard, ...] = ()
    circulations: dict[str, str] = field(default_factory=dict)
    cycles: dict[str, SterilisationCycle] = field(default_factory=dict)
    extracted_at: dict[str, dt.datetime] = field(default_factory=dict)
