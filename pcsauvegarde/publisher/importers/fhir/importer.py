"""FHIR R4 importer: Bulk Data NDJSON and Bundle/resource JSON files -> canonical records.

A resource that cannot be mapped is refused alone with a French reason (:class:`Rejection`);
resources outside the model (unsupported type, vital signs, cancelled order…) are counted in
``ignored`` per type and reason (see :mod:`ignored`).
The import MUST NOT raise on bad input.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.records import Record, RecordError, record_from_dict
from pcsauvegarde.core.text import clean_data
from pcsauvegarde.publisher.importers.fhir.appointments import map_appointment
from pcsauvegarde.publisher.importers.fhir.care import (
    map_care_plan,
    map_service_request,
    map_task,
)
from pcsauvegarde.publisher.importers.fhir.context import Context
from pcsauvegarde.publisher.importers.fhir.dpi import (
    map_allergy,
    map_condition,
    map_encounter,
    map_location,
    map_patient,
)
from pcsauvegarde.publisher.importers.fhir.ignored import Ignored, type_reason
from pcsauvegarde.publisher.importers.fhir.imaging import map_imaging_study
from pcsauvegarde.publisher.importers.fhir.index import Index
from pcsauvegarde.publisher.importers.fhir.meds import (
    map_medication_administration,
    map_medication_request,
)
from pcsauvegarde.publisher.importers.fhir.results import map_observation
from pcsauvegarde.publisher.importers.fhir.source import Entry, Unreadable, read_paths
from pcsauvegarde.publisher.importers.fhir.systems import FhirSystems
from pcsauvegarde.publisher.importers.fhir.transfusion import map_procedure
from pcsauvegarde.publisher.importers.fhir.values import Refused

Mapper = Callable[[dict, Context], "Record | Sequence[Record] | None"]

# Order matters: patients, then stays, then orders before the administrations that cite them.
MAPPERS: dict[str, Mapper] = {
    "Patient": map_patient,
    "Location": map_location,
    "Encounter": map_encounter,
    "AllergyIntolerance": map_allergy,
    "Condition": map_condition,
    "MedicationRequest": map_medication_request,
    "MedicationAdministration": map_medication_administration,
    "Observation": map_observation,
    "ServiceRequest": map_service_request,
    "CarePlan": map_care_plan,
    "Task": map_task,
    "ImagingStudy": map_imaging_study,
    "Appointment": map_appointment,
    "Procedure": map_procedure,
}
# Read for reference resolution only; never a record of their own.
SUPPORT_TYPES = ("Organization", "Practitioner", "PractitionerRole", "Medication", "Schedule",
                 "Slot")


@dataclass(frozen=True)
class Rejection:
    """A refused resource: file, NDJSON line (from 1) or Bundle entry index (from 0), reason."""

    file: str
    line_or_index: int
    resource_type: str
    resource_id: str
    reason_fr: str

    def message(self) -> str:
        """One French line naming the file, place, resource and reason."""
        where = "ligne" if self.file.endswith((".ndjson", ".jsonl", ".gz")) else "entrée"
        what = f"{self.resource_type}/{self.resource_id}" if self.resource_type else "ressource"
        return f"{self.file} ({where} {self.line_or_index}) : {what} refusée — {self.reason_fr}"


@dataclass
class ImportResult:
    """Records imported, resources refused, and counts of resources deliberately ignored."""

    records: list[Record] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    cleaned: Counter[str] = field(default_factory=Counter)
    """Fields per record type from which control or bidi characters were removed."""

    def counts(self) -> dict[str, int]:
        """Number of records per canonical type."""
        return dict(Counter(r.TYPE for r in self.records))

    def of_type(self, name: str) -> list[Record]:
        """The records of one canonical type, e.g. ``of_type("patient")``."""
        return [r for r in self.records if r.TYPE == name]


def import_fhir(paths: Iterable[Path], systems: FhirSystems | None = None) -> ImportResult:
    """Read FHIR files and map every supported resource; never raises on bad content."""
    result = ImportResult()
    entries: list[Entry] = []
    for item in read_paths([Path(p) for p in paths]):
        if isinstance(item, Unreadable):
            result.rejections.append(Rejection(item.file, item.where, item.resource_type,
                                               item.resource_id, item.reason))
        else:
            entries.append(item)
    ctx = Context(index=Index(entries), systems=systems or FhirSystems())
    by_type: dict[str, list[Entry]] = {}
    for entry in entries:
        by_type.setdefault(entry.resource["resourceType"], []).append(entry)
    for rtype in sorted(set(by_type) - set(MAPPERS) - set(SUPPORT_TYPES)):
        result.ignored[f"{rtype} : {type_reason(rtype)}"] += len(by_type[rtype])
    seen: set[tuple[str, str]] = set()
    for rtype, mapper in MAPPERS.items():
        for entry in by_type.get(rtype, []):
            _map_one(entry, mapper, ctx, result, seen)
    result.ignored.update(ctx.ignored)
    result.rejections.sort(key=lambda r: (r.file, r.line_or_index))  # reads like the files
    return result


def _map_one(entry: Entry, mapper: Mapper, ctx: Context, result: ImportResult,
             seen: set[tuple[str, str]]) -> None:
    res = entry.resource
    rtype = res["resourceType"]
    rid = i if isinstance(i := res.get("id"), str) else ""

    def refuse(reason: str) -> None:
        result.rejections.append(Rejection(entry.file, entry.where, rtype, rid, reason))
        if rtype == "Patient":
            ctx.refused_patients.add(id(res))

    try:
        mapped = mapper(res, ctx)
        if mapped is None:
            status = s if isinstance(s := res.get("status"), str) else ""
            why = f" (statut {status})" if status else ""
            result.ignored[f"{rtype} : hors périmètre{why}"] += 1
            return
        if mapped == []:
            return  # read for reference resolution only (rooms, beds)
        records = []
        for r in [mapped] if isinstance(mapped, Record) else mapped:
            data, cleaned = clean_data(r.to_dict())  # control/bidi characters: never printed
            records.append(record_from_dict(data))
            if cleaned:
                result.cleaned[r.TYPE] += cleaned
    except Ignored as exc:
        result.ignored[f"{rtype} : {exc}"] += 1
        return
    except (Refused, RecordError) as exc:
        refuse(str(exc))
        return
    except Exception as exc:  # one odd resource must never stop the import
        refuse(f"structure inattendue ({exc.__class__.__name__})")
        return
    for record in records:
        key = (record.TYPE, record.id)
        if key in seen:
            refuse(f"{record.TYPE} « {record.id} » en double (identifiant déjà importé)")
            return
    for record in records:
        seen.add((record.TYPE, record.id))
        result.records.append(record)
    if rtype == "Patient":
        ctx.ipp_of[id(res)] = records[0].id
    elif rtype == "Encounter":
        ctx.nda_of[id(res)] = records[0].id
