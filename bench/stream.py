"""A hospital's change stream as export files, and how to see each change at the station.

Rates per hour: 180 admissions (A01), 60 transfers (A02), 120 discharges (A03), 2,000 lab
results (ORU^R01), 120 new orders (RDE^O11), 360 administrations (FHIR NDJSON). Each message
is its own file, written under a temporary name then renamed (as an interface engine does).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from pcsauvegarde.publisher.importers.fhir.systems import IPP_SYSTEM

PER_HOUR = {"admission": 180, "transfer": 60, "discharge": 120, "lab_result": 2000,
            "order": 120, "administration": 360}
DOMAIN = {"lab_result": "lab"}  # every other kind is the patient record (dpi)
PARIS = ZoneInfo("Europe/Paris")
MSH = "MSH|^~\\&|DPI|CHD|SAUVEGARDE|CHD|{ts}||{type}|{ctl}|P|2.5|||||FRA|UNICODE UTF-8"


def hl7_time(at: dt.datetime) -> str:
    return at.astimezone(PARIS).strftime("%Y%m%d%H%M%S")


@dataclass
class Change:
    """One change written at the source, and when the station first showed it."""

    kind: str
    ipp: str
    key: str          # stay id, result id, order id or administration id
    expect: str = ""  # transfers: the new unit
    written_at: float = 0.0
    seen_at: float = 0.0

    @property
    def domain(self) -> str:
        return DOMAIN.get(self.kind, "dpi")

    def describe(self) -> str:
        return f"{self.kind} {self.key} (patient {self.ipp})"

    def visible(self, store) -> bool:
        """Shown by the station's query layer (the patient file every screen reads)?"""
        from pcsauvegarde.station.store.queries import patient_file

        pf = patient_file(store, self.ipp)
        if pf is None:
            return False
        if self.kind in ("admission", "transfer", "discharge"):
            stay = pf.stay
            return stay is not None and stay.id == self.key and (
                self.kind == "admission" or (self.kind == "transfer" and stay.unit == self.expect)
                or (self.kind == "discharge" and stay.discharge is not None))
        found = {"lab_result": pf.lab_results, "order": pf.orders,
                 "administration": pf.administrations}[self.kind]
        return any(r.id == self.key for r in found)


class ChangeStream:
    """Writes changes at the rates above into ``inbox``; remembers what it wrote."""

    def __init__(self, inbox: Path, seed: dict, rng: random.Random) -> None:
        self.inbox, self.rng = inbox, rng
        self.units: list[str] = seed["units"]
        self.inpatients = [tuple(p) for p in seed["inpatients"]]  # ipp, nda, unit, admission
        self.rng.shuffle(self.inpatients)
        self.owed = dict.fromkeys(PER_HOUR, 0.0)
        self.last: float | None = None
        self.counter = 0
        self.written: list[Change] = []
        self.fhir_patients: set[str] = set()

    def step(self, now: float) -> list[Change]:
        """Write what is due since the last step; return the new changes."""
        if self.last is None:
            self.last = now
            return []
        elapsed, self.last = now - self.last, now
        at = dt.datetime.fromtimestamp(now, dt.UTC)
        new: list[Change] = []
        for kind, rate in PER_HOUR.items():
            self.owed[kind] += rate * elapsed / 3600
            while self.owed[kind] >= 1:
                self.owed[kind] -= 1
                new.append(getattr(self, f"_{kind}")(at))
        for change in new:
            change.written_at = now
        self.written += new
        return new

    def _write(self, suffix: str, text: str) -> None:
        self.counter += 1
        name = f"{self.counter:08d}{suffix}"
        part = self.inbox / f"{name}.part"
        part.write_text(text, "utf-8")
        os.replace(part, self.inbox / name)

    def _msg(self, mtype: str, at: dt.datetime, *segments: str) -> None:
        header = MSH.format(ts=hl7_time(at), type=mtype, ctl=f"C{self.counter + 1}")
        self._write(".hl7", "\r".join([header, *segments]) + "\r")

    @staticmethod
    def _pid(ipp: str) -> str:
        return f"PID|1||{ipp}^^^CHD^PI||PATIENT^Flux||19700101|F"

    @staticmethod
    def _pv1(nda: str, unit: str, admission: str, discharge: str = "") -> str:
        fields = ["PV1", "1", "I", f"{unit}^1^A"] + [""] * 15 + [nda] + [""] * 24
        fields += [admission, discharge]
        return "|".join(fields)

    def _patient(self) -> tuple[str, str, str, str]:
        return self.inpatients[self.rng.randrange(len(self.inpatients))]

    def _admission(self, at: dt.datetime) -> Change:
        n = self.counter + 1
        ipp, nda, unit = f"6{n:08d}", f"NDAF{n:08d}", self.rng.choice(self.units)
        self._msg("ADT^A01^ADT_A01", at, f"EVN|A01|{hl7_time(at)}", self._pid(ipp),
                  self._pv1(nda, unit, hl7_time(at)))
        self.inpatients.append((ipp, nda, unit, at.isoformat()))
        return Change("admission", ipp, nda)

    def _transfer(self, at: dt.datetime) -> Change:
        i = self.rng.randrange(len(self.inpatients))
        ipp, nda, unit, admitted = self.inpatients[i]
        new_unit = self.units[(self.units.index(unit) + 1) % len(self.units)]
        self.inpatients[i] = (ipp, nda, new_unit, admitted)
        self._msg("ADT^A02", at, f"EVN|A02|{hl7_time(at)}", self._pid(ipp),
                  self._pv1(nda, new_unit, hl7_time(dt.datetime.fromisoformat(admitted))))
        return Change("transfer", ipp, nda, expect=new_unit)

    def _discharge(self, at: dt.datetime) -> Change:
        ipp, nda, unit, admitted = self.inpatients.pop(self.rng.randrange(len(self.inpatients)))
        self._msg("ADT^A03", at, f"EVN|A03|{hl7_time(at)}", self._pid(ipp),
                  self._pv1(nda, unit, hl7_time(dt.datetime.fromisoformat(admitted)),
                            hl7_time(at)))
        return Change("discharge", ipp, nda)

    def _lab_result(self, at: dt.datetime) -> Change:
        ipp = self._patient()[0]
        lab = f"LF{self.counter + 1:08d}"
        value = f"{self.rng.uniform(3.0, 6.0):.1f}"
        self._msg("ORU^R01", at, self._pid(ipp), f"ORC|RE|{lab}|{lab}",
                  f"OBR|1|{lab}|{lab}|BIO^Bilan|||{hl7_time(at)}",
                  f"OBX|1|NM|2823-3^Potassium^LN||{value}|mmol/L|3.5-5.0|N|||F")
        return Change("lab_result", ipp, f"{lab}-2823-3")

    def _order(self, at: dt.datetime) -> Change:
        ipp, nda, _, _ = self._patient()
        oid = f"OF{self.counter + 1:08d}"
        self._msg("RDE^O11", at, self._pid(ipp), self._pv1(nda, "", ""),
                  f"ORC|NW|{oid}||||||||||0000123^Cœur^Étienne",
                  f"RXE|^Q6H^^{hl7_time(at)[:12]}|Paracétamol 1 g comprimé|1||g")
        return Change("order", ipp, oid)

    def _administration(self, at: dt.datetime) -> Change:
        ipp = self._patient()[0]
        aid = f"AF{self.counter + 1:08d}"
        lines = []
        if ipp not in self.fhir_patients:  # the FHIR export carries the patient it refers to
            self.fhir_patients.add(ipp)
            lines.append({"resourceType": "Patient", "id": f"p{ipp}",
                          "identifier": [{"system": IPP_SYSTEM, "value": ipp}],
                          "name": [{"family": "PATIENT", "given": ["Flux"]}],
                          "gender": "female", "birthDate": "1970-01-01"})
        lines.append({"resourceType": "MedicationAdministration", "id": aid,
                      "status": "completed", "subject": {"reference": f"Patient/p{ipp}"},
                      "request": {"reference": "MedicationRequest/MO1"},
                      "effectiveDateTime": at.isoformat(),
                      "dosage": {"dose": {"value": 1, "unit": "g"}}})
        self._write(".ndjson", "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
        return Change("administration", ipp, aid)

    def duplicates(self, store) -> list[str]:
        """Stream records the station holds more or less than once (by id prefix)."""
        problems = []
        with store.connect() as db:
            for rtype, prefix, kind in (("lab_result", "LF", "lab_result"),
                                        ("medication_order", "OF", "order"),
                                        ("medication_administration", "AF", "administration")):
                held = [r[0] for r in db.execute("SELECT id FROM record WHERE type=? AND id "
                                                 "LIKE ?", (rtype, prefix + "%"))]
                expected = {c.key for c in self.written if c.kind == kind}
                if len(held) != len(set(held)) or set(held) - expected:
                    problems.append(f"{rtype}: {len(held)} held, {len(expected)} written")
        return problems
