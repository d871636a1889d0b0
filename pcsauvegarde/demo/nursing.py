"""Nursing care plans of demo inpatients (CarePlan), so the plan de soins is not empty.

Drawn from a random generator of their own: adding them leaves every other demo resource as
it was for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from pcsauvegarde.demo.people import new_id

if TYPE_CHECKING:
    from pcsauvegarde.demo.hospital import Case, Hospital

SNOMED = "http://snomed.info/sct"
# Per unit: (activity, FHIR Timing or None when done without a schedule), as a DPI exports.
ACTIVITIES = {
    "REA": (("Aspiration trachéale", {"repeat": {"frequency": 1, "period": 4, "periodUnit": "h"}}),
            ("Soins de bouche", {"repeat": {"timeOfDay": ["08:00:00", "14:00:00", "20:00:00"]}}),
            ("Changement de position (prévention d'escarres)",
             {"repeat": {"frequency": 1, "period": 3, "periodUnit": "h"}}),
            ("Surveillance de la sonde urinaire", None)),
    "MED": (("Régime diabétique", None),
            ("Pesée", {"repeat": {"timeOfDay": ["07:00:00"]}}),
            ("Éducation thérapeutique : auto-surveillance glycémique", None),
            ("Lever au fauteuil", {"repeat": {"timeOfDay": ["10:00:00", "16:00:00"]}})),
    "CHD": (("Surveillance du pansement", {"repeat": {"timeOfDay": ["09:00:00"]}}),
            ("Lever précoce et marche dans le couloir", None),
            ("Kinésithérapie respiratoire", {"repeat": {"frequency": 2, "period": 1,
                                                       "periodUnit": "d"}}),
            ("Bas de contention", None)),
}
PLANS = {"REA": "Plan de soins de réanimation", "MED": "Plan de soins infirmiers",
         "CHD": "Plan de soins post-opératoire"}


def care_rng(seed: int) -> random.Random:
    """The generator of the care plans, apart from the hospital's own."""
    return random.Random(f"care-plan-{seed}")


def add_care_plan(h: Hospital, case: Case) -> None:
    """An active nursing CarePlan with two or three activities for most inpatients."""
    rng = h.care_rng
    if case.unit not in ACTIVITIES or rng.random() < 0.3:
        return
    chosen = rng.sample(ACTIVITIES[case.unit], rng.randint(2, 3))
    # written on the hour after admission, as a nurse would schedule « toutes les 4 h »
    start = (case.admission + dt.timedelta(minutes=59)).replace(minute=0, second=0,
                                                                 microsecond=0)
    activities = []
    for label, timing in chosen:
        detail: dict = {"status": "in-progress", "code": {"text": label}}
        if timing is not None:
            detail["status"] = "scheduled"
            detail["scheduledTiming"] = timing
        activities.append({"detail": detail})
    h.emit({"resourceType": "CarePlan", "id": new_id(rng), "status": "active", "intent": "plan",
            "title": PLANS[case.unit],
            "category": [{"coding": [{"system": SNOMED, "code": "9632001",
                                      "display": "Soins infirmiers"}]}],
            "subject": {"reference": f"Patient/{case.patient['id']}"},
            "encounter": {"reference": f"Encounter/{case.encounter['id']}"},
            "period": {"start": h.iso(start)}, "activity": activities})
