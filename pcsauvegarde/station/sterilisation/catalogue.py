"""The sterilisation catalogue as screens and papers need it: trays with their gaps said."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pcsauvegarde.core.records import (
    PackagingType,
    Record,
    SterilisationCycle,
    SterilisationEquipment,
    SurgeryCase,
    Tray,
    Unit,
    record_from_dict,
)
from pcsauvegarde.station.sterilisation.expiry import expiry_date, shelf_life_text
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.store.patient_index import fold

NO_COMPOSITION = "composition absente des données : à compléter à la main"
MISSING_TRAY = "plateau absent du catalogue de stérilisation (supprimé ou inconnu)"


@dataclass(frozen=True)
class TrayCard:
    """One tray as printed: its record (None when a cycle names a tray that is gone), its
    owner unit's name, packaging, expiry and every gap, in French, for screen and paper."""

    code: str
    tray: Tray | None
    unit_name: str = ""
    packaging_label: str = ""
    shelf_life: str = ""
    expiry: dt.date | None = None
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.tray.name if self.tray else "— plateau inconnu —"

    @property
    def unit(self) -> str:
        return self.tray.owner_unit if self.tray else ""


@dataclass(frozen=True)
class Catalogue:
    """Every sterilisation record of the snapshot, indexed (one read per screen or document)."""

    trays: dict[str, Tray]
    packaging: dict[str, PackagingType]
    equipment: dict[str, SterilisationEquipment]
    cycles: tuple[SterilisationCycle, ...]
    units: dict[str, str]
    extracted_at: dict[str, dt.datetime]

    def card(self, code: str, recomposed_on: dt.date) -> TrayCard:
        """The tray ``code`` with its expiry from ``recomposed_on``, or the gap said."""
        tray = self.trays.get(code)
        if tray is None:
            return TrayCard(code, None, problems=(f"« {code} » : {MISSING_TRAY}",))
        problems = []
        if not tray.composition:
            problems.append(f"« {code} » : {NO_COMPOSITION}")
        label, life, expiry = tray.packaging, "", None
        kind = self.packaging.get(tray.packaging) if tray.packaging else None
        if kind is not None:
            label, life = kind.label, shelf_life_text(kind.shelf_life_months, kind.shelf_life_days)
            expiry = expiry_date(recomposed_on, kind.shelf_life_months, kind.shelf_life_days)
        elif tray.packaging:
            problems.append(f"« {code} » : type d'emballage « {tray.packaging} » inconnu : "
                            "date de péremption à calculer et écrire à la main")
        elif tray.shelf_life_days > 0:  # no packaging given: the tray's own shelf life
            life = shelf_life_text(0, tray.shelf_life_days)
            expiry = expiry_date(recomposed_on, 0, tray.shelf_life_days)
        else:
            problems.append(f"« {code} » : ni type d'emballage ni durée de validité : date de "
                            "péremption à écrire à la main")
        return TrayCard(code, tray, self.units.get(tray.owner_unit, tray.owner_unit), label,
                        life, expiry, tuple(problems))

    def search(self, query: str = "", unit: str = "") -> list[Tray]:
        """Trays whose code or name holds ``query`` (accents and case ignored), of ``unit``."""
        q = fold(query.strip())
        return [t for t in sorted(self.trays.values(), key=lambda t: (t.owner_unit, t.name))
                if (not unit or t.owner_unit == unit)
                and (not q or q in fold(t.id) or q in fold(t.name))]

    def last_cycle(self, code: str) -> SterilisationCycle | None:
        """The latest cycle of the snapshot whose load held tray ``code``."""
        held = [c for c in self.cycles if code in c.tray_ids]
        return max(held, key=lambda c: c.at) if held else None

    def washers(self) -> list[SterilisationEquipment]:
        return [e for e in self.equipment.values() if e.kind == "washer"]

    def autoclaves(self) -> list[SterilisationEquipment]:
        return [e for e in self.equipment.values() if e.kind == "autoclave"]


def load_catalogue(store: Store) -> Catalogue:
    """Read the sterilisation snapshot (and unit names) once."""
    with store.connect() as db:
        rows = db.execute("SELECT data FROM record WHERE type IN (?,?,?,?,?)",
                          (Tray.TYPE, PackagingType.TYPE, SterilisationEquipment.TYPE,
                           SterilisationCycle.TYPE, Unit.TYPE)).fetchall()
    records: list[Record] = [record_from_dict(json.loads(d)) for (d,) in rows]
    return Catalogue(
        trays={r.id: r for r in records if isinstance(r, Tray)},
        packaging={r.id: r for r in records if isinstance(r, PackagingType)},
        equipment={r.id: r for r in records if isinstance(r, SterilisationEquipment)},
        cycles=tuple(sorted((r for r in records if isinstance(r, SterilisationCycle)),
                            key=lambda c: c.at, reverse=True)),
        units={r.id: r.name for r in records if isinstance(r, Unit)},
        extracted_at={d: s.extracted_at for d, s in store.snapshots().items()})


def or_schedule(store: Store, day_start: dt.datetime, day_end: dt.datetime) -> list[SurgeryCase]:
    """Interventions of the OR schedule between two UTC instants, by time then room."""
    with store.connect() as db:
        rows = db.execute("SELECT data FROM record WHERE type=?", (SurgeryCase.TYPE,)).fetchall()
    cases = [r for r in (record_from_dict(json.loads(d)) for (d,) in rows)
             if isinstance(r, SurgeryCase) and day_start <= r.scheduled_at < day_end]
    return sorted(cases, key=lambda c: (c.scheduled_at, c.room))


def surgery_case(store: Store, case_id: str) -> SurgeryCase | None:
    with store.connect() as db:
        row = db.execute("SELECT data FROM record WHERE type=? AND id=?",
                         (SurgeryCase.TYPE, case_id)).fetchone()
    record = record_from_dict(json.loads(row[0])) if row else None
    return record if isinstance(record, SurgeryCase) else None
