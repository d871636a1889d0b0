"""What a pull did not keep, and why: one structure for the pull history, one French wording.

The structure (stored as JSON in ``pull_run.not_kept``) is
``{"patients": [in full dpi packages, kept], "records": {type: {reason: count}}}``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pcsauvegarde.station.store.keeping import NO_PATIENT, RETENTION

# French words for the record types a station may decline to keep (plural forms).
TYPE_WORDS = {
    "patient": "patient(s)", "stay": "séjour(s)", "allergy": "allergie(s)",
    "condition": "antécédent(s) ou problème(s)", "medication_order": "prescription(s)",
    "medication_administration": "administration(s)", "care_task": "soin(s) programmé(s)",
    "lab_result": "résultat(s) de laboratoire", "imaging_exam": "examen(s) d'imagerie",
    "surgery_case": "intervention(s) au bloc", "appointment": "rendez-vous de consultation",
    "anaesthesia_assessment": "consultation(s) d'anesthésie",
    "blood_typing": "groupage(s) ou RAI", "transfusion": "donnée(s) transfusionnelle(s)",
}


@dataclass
class NotKeptTally:
    """Patients carried by full dpi packages against those kept, and records not kept."""

    received: int = 0
    kept: int = 0
    records: Counter = field(default_factory=Counter)  # (type, reason) -> count

    def add(self, other: NotKeptTally) -> None:
        self.received += other.received
        self.kept += other.kept
        self.records += other.records

    def __bool__(self) -> bool:
        return bool(self.records) or self.kept < self.received

    def to_json(self) -> dict:
        by_type: dict[str, dict[str, int]] = {}
        for (rtype, reason), n in sorted(self.records.items()):
            by_type.setdefault(rtype, {})[reason] = n
        return {"patients": [self.received, self.kept], "records": by_type}

    @classmethod
    def from_json(cls, data: object) -> NotKeptTally:
        tally = cls()
        if not isinstance(data, dict):
            return tally
        patients = data.get("patients") or [0, 0]
        tally.received, tally.kept = int(patients[0]), int(patients[1])
        for rtype, reasons in (data.get("records") or {}).items():
            for reason, n in reasons.items():
                tally.records[(rtype, reason)] = int(n)
        return tally


def describe(tally: NotKeptTally, retention_days: int) -> str:
    """One French sentence: patients received vs kept, then counts per reason ('' if none)."""
    if not tally:
        return ""
    parts = []
    if tally.received:
        parts.append(f"{tally.received} patient(s) reçu(s), {tally.kept} conservé(s)")
    reasons = {RETENTION: f"sortis depuis plus de {retention_days} jours (rétention des "
                          "patients sortis)",
               NO_PATIENT: "patient non conservé ou absent du dossier patient"}
    for reason, why in reasons.items():
        items = [(rtype, n) for (rtype, r), n in tally.records.items() if r == reason]
        items.sort(key=lambda item: list(TYPE_WORDS).index(item[0])
                   if item[0] in TYPE_WORDS else len(TYPE_WORDS))
        if items:
            counted = ", ".join(f"{n} {TYPE_WORDS.get(rtype, rtype)}" for rtype, n in items)
            parts.append(f"non conservés : {counted} — {why}")
    return " ; ".join(parts)
