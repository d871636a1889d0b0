"""The register of lab numbers exported for the lab system after recovery: CSV and FHIR R4.

CSV: one row per number, ``;``-separated, every cell safe against formula injection. FHIR R4:
a ``collection`` Bundle with one Specimen per number (accession identifier = the number, its
tubes as containers) and, for numbers issued to a known patient, a ServiceRequest (R4 makes
``subject`` mandatory there, so blank pre-numbered labels have a Specimen only, linked to a
patient at re-entry).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import TextIO

from pcsauvegarde.core.records import format_utc
from pcsauvegarde.core.text import csv_safe
from pcsauvegarde.station.lab.register import KINDS, STATUSES, Entry

COLUMNS = ("numero", "lot", "type_lot", "position", "tubes", "ipp", "unite", "urgent", "poste",
           "emis_par", "emis_le_utc", "document", "statut")
PI = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PI"}]}
ACSN = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN"}]}


def accession_system(station: str) -> str:
    """The identifier system of a station's downtime lab numbers."""
    return f"urn:pcsauvegarde:{station}:labo"


def export_csv(entries: Iterable[Entry], out: TextIO) -> int:
    """Write the register (one row per number); returns how many rows."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for e in entries:
        b = e.batch
        writer.writerow([csv_safe(v) for v in (
            e.number, b.id, KINDS.get(b.kind, b.kind), e.position, b.tubes, e.ipp or "",
            b.unit or "", "oui" if b.urgent else "non", b.station, b.issued_by,
            format_utc(b.issued_at), b.document_number, STATUSES.get(b.status, b.status))])
        count += 1
    return count


def export_fhir(entries: Iterable[Entry], now: dt.datetime | None = None) -> dict:
    """The register as a FHIR R4 collection Bundle (Specimen, ServiceRequest)."""
    now = now or dt.datetime.now(dt.UTC)
    resources: list[dict] = []
    for e in entries:
        resources += entry_resources(e)
    return {"resourceType": "Bundle", "type": "collection", "timestamp": format_utc(now),
            "entry": [{"fullUrl": f"urn:uuid:{resource_uuid(r)}", "resource": r}
                      for r in resources]}


def entry_resources(e: Entry) -> list[dict]:
    """A number's Specimen, and its ServiceRequest when it names a patient."""
    b = e.batch
    system = accession_system(b.station)
    accession = {"type": ACSN, "system": system, "value": e.number}
    specimen: dict = {
        "resourceType": "Specimen", "id": fhir_id("spec", e.number),
        "identifier": [accession], "accessionIdentifier": accession,
        "status": "available",
        "container": [{"identifier": [{"value": f"tube {i}/{b.tubes}"}]}
                      for i in range(1, b.tubes + 1)],
        "note": [{"text": f"Numéro pré-imprimé (mode dégradé), lot {b.id} "
                          f"({KINDS.get(b.kind, b.kind)}), émis par {b.issued_by} sur "
                          f"{b.station}, document {b.document_number or '—'}"}]}
    if not e.ipp:
        return [specimen]
    subject = {"identifier": {"type": PI, "value": e.ipp}}
    specimen["subject"] = subject
    request = {
        "resourceType": "ServiceRequest", "id": fhir_id("req", e.number),
        "identifier": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PLAC"}]},
            "system": system, "value": e.number}],
        "requisition": accession, "status": "active", "intent": "order",
        "priority": "stat" if b.urgent else "routine", "subject": subject,
        "authoredOn": format_utc(b.issued_at), "requester": {"display": b.issued_by},
        "specimen": [{"reference": f"urn:uuid:{resource_uuid(specimen)}"}],
        "note": [{"text": "Demande papier en mode dégradé : examens à reprendre du bon "
                          f"{b.document_number or '—'}"}]}
    return [specimen, request]


def fhir_id(kind: str, number: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) from a lab number."""
    return f"{kind}-" + "".join(c if c.isalnum() or c in "-." else "-" for c in number)[:58]


def resource_uuid(resource: dict) -> str:
    """A stable UUID (fullUrl) for a resource from its type and id."""
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{resource['resourceType']}/{resource['id']}"))
