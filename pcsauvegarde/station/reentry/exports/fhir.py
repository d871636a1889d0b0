"""FHIR R4 ``collection`` Bundles of re-entry, one per domain (JSON-ready dicts).

administration → MedicationAdministration; lab → Specimen (+ ServiceRequest), built by
lab/exports.py with the patient and collection time transcribed; sterilisation → Device (the
tray, by circulation number) and Procedure (its use on a patient); admission → Patient and
Encounter with the provisional identifiers (and the real IPP as ``replaced-by`` once the merge
is verified). Patients are referenced by IPP identifier (type PI), as the lab export does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import format_utc, parse_utc
from pcsauvegarde.station.lab.exports import entry_resources, fhir_id, resource_uuid
from pcsauvegarde.station.lab.register import LabError, register_of
from pcsauvegarde.station.reentry.exports import source
from pcsauvegarde.station.reentry.transcription import Transcription
from pcsauvegarde.station.state.admissions import Admission
from pcsauvegarde.station.station import Station

V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
PI = {"coding": [{"system": V2_0203, "code": "PI"}]}
VN = {"coding": [{"system": V2_0203, "code": "VN"}]}
GENDER = {"M": "male", "F": "female", "I": "unknown"}


def system(station: Station, what: str) -> str:
    """Identifier system of this station's numbers of one kind."""
    return f"urn:pcsauvegarde:{station.settings.station_id}:{what}"


def bundle(station: Station, domain: str, now: dt.datetime | None = None) -> tuple[dict, int]:
    """(Bundle, number of lines left out because not yet verified) for one domain."""
    now = now or dt.datetime.now(dt.UTC)
    found = source.lines(station, domain)
    merged = source.merges(station)
    resources: list[dict] = []
    if domain == "administration":
        resources = [_administration(station, t, merged) for t in found.verified]
    elif domain == "lab":
        resources = _lab(station, found.verified, merged)
    elif domain == "sterilisation":
        for t in found.verified:
            resources += _tray(station, t, merged) if t.item_kind == "tray" else []
    elif domain == "admission":
        for a in source.admissions(station):
            resources += _admission(station, a, merged)
    else:
        raise source.ExportError(f"pas d'export FHIR pour le domaine « {domain} »")
    return ({"resourceType": "Bundle", "type": "collection", "timestamp": format_utc(now),
             "entry": [{"fullUrl": f"urn:uuid:{resource_uuid(r)}", "resource": r}
                       for r in resources]}, len(found.pending))


def _subject(merged: dict[str, Transcription], ipp: str) -> dict:
    return {"identifier": {"type": PI, "value": source.real_ipp(merged, ipp)}}


def _note(t: Transcription) -> dict:
    verified = f", vérifié par {t.verified_by}" if t.verified_by != t.entered_by else ""
    warned = f" Avertissements confirmés : {' ; '.join(t.warnings)}" if t.warnings else ""
    return {"text": f"Ressaisi du papier n° {t.number} par {t.entered_by} le "
                    f"{format_utc(t.entered_at)}{verified}.{warned}"}


def _administration(station: Station, t: Transcription,
                    merged: dict[str, Transcription]) -> dict:
    d = t.data
    medication: dict = {"text": d.get("drug") or f"prescription {d['order_id']}"}
    if d.get("code"):
        medication["coding"] = [{"code": d["code"], "display": medication["text"]}]
    resource: dict = {
        "resourceType": "MedicationAdministration", "id": fhir_id("ma", f"{t.id}-{t.number}"),
        "identifier": [{"system": system(station, "ressaisie"),
                        "value": f"{t.number}/{t.line}"[:200]}],
        "status": "completed" if d["given"] else "not-done",
        "medicationCodeableConcept": medication,
        "subject": _subject(merged, d["ipp"]),
        "effectiveDateTime": format_utc(parse_utc(d["at"] or d["slot"])),
        "request": {"identifier": {"value": d["order_id"]}},
        "note": [_note(t)]}
    if not d["at"]:   # R4 requires effective[x]: a dose not given carries its planned slot
        resource["note"].append({"text": "Non donné : date = heure de la prise prévue, aucune "
                                         "heure d'administration."})
    if d["given"]:
        if d.get("dose"):
            resource["dosage"] = {"text": d["dose"]}
        resource["performer"] = [{"actor": {"display": d["initials"]}}]
    else:
        resource["statusReason"] = [{"text": d["reason"]}]
    return resource


def _lab(station: Station, lines: list[Transcription],
         merged: dict[str, Transcription]) -> list[dict]:
    if not lines:
        return []
    try:
        register = {e.number: e for e in register_of(station).all()}
    except LabError as exc:
        raise source.ExportError(str(exc)) from None
    out = []
    for t in lines:
        entry = dataclasses.replace(register[t.number],
                                    ipp=source.real_ipp(merged, t.data["ipp"]))
        resources = entry_resources(entry)
        specimen = resources[0]
        specimen["collection"] = {"collectedDateTime": format_utc(parse_utc(
            t.data["collected_at"]))}
        specimen["note"].append(_note(t))
        out += resources
    return out


def _tray(station: Station, t: Transcription, merged: dict[str, Transcription]) -> list[dict]:
    d = t.data
    device: dict = {
        "resourceType": "Device", "id": fhir_id("tray", t.number),
        "identifier": [{"system": system(station, "circulation"), "value": t.number}],
        "deviceName": [{"name": d["tray"], "type": "user-friendly-name"}],
        "lotNumber": d.get("lot") or d["cycle"],
        "note": [{"text": f"Cycle de stérilisation {d['cycle']}"
                          + (f", stérilisateur {d['sterilizer']}" if d.get("sterilizer") else "")
                          + (f", lot {d['lot']}" if d.get("lot") else "")}]}
    procedure = {
        "resourceType": "Procedure", "id": fhir_id("use", f"{t.id}-{t.number}"),
        "status": "completed",
        "code": {"text": "Utilisation d'un plateau stérile (traçabilité)"},
        "subject": _subject(merged, d["ipp"]),
        "performedDateTime": format_utc(parse_utc(d["used_at"])),
        "focalDevice": [{"manipulated": {"reference": f"urn:uuid:{resource_uuid(device)}"}}],
        "note": [_note(t)]}
    return [device, procedure]


def _admission(station: Station, a: Admission, merged: dict[str, Transcription]) -> list[dict]:
    r = a.request
    names = [{"use": "official", "family": r.birth_name, "given": r.first_names.split()}]
    if r.used_name:
        names.append({"use": "usual", "family": r.used_name, "given": r.first_names.split()})
    patient: dict = {
        "resourceType": "Patient", "id": fhir_id("pat", a.ipp),
        "identifier": [{"use": "temp", "type": PI, "system": system(station, "ipp-provisoire"),
                        "value": a.ipp}],
        "name": names, "gender": GENDER.get(r.sex, "unknown"),
        "birthDate": r.birth_date.isoformat()}
    real = source.real_ipp(merged, a.ipp)
    if real != a.ipp:
        patient["link"] = [{"other": {"identifier": {"type": PI, "value": real}},
                            "type": "replaced-by"}]
    where = " ".join(x for x in (r.unit, f"ch. {r.room}" if r.room else "",
                                 f"lit {r.bed}" if r.bed else "") if x)
    encounter: dict = {
        "resourceType": "Encounter", "id": fhir_id("enc", a.nda),
        "identifier": [{"use": "temp", "type": VN, "system": system(station, "nda-provisoire"),
                        "value": a.nda}],
        "status": "in-progress",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                  "code": "IMP", "display": "inpatient encounter"},
        "subject": {"reference": f"urn:uuid:{resource_uuid(patient)}"},
        "period": {"start": format_utc(a.admitted_at)},
        "location": [{"location": {"display": where}}]}
    if r.reason:
        encounter["reasonCode"] = [{"text": r.reason}]
    return [patient, encounter]
