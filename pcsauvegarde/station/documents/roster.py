"""Patient cells of schedule tables (imaging schedule, consultation call list): identity and
allergies as the census prints them, for a patient who may have no stay or be unknown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station.documents.allergies import absence_text, allergy_state
from pcsauvegarde.station.documents.context import PatientFile, ScheduledPatient
from pcsauvegarde.station.documents.fmt import allergy_text
from pcsauvegarde.station.documents.identity import identity_lines
from pcsauvegarde.station.documents.templates import Template

UNKNOWN_PATIENT = "patient absent de l'extrait"


@dataclass(frozen=True)
class WhoCells:
    identity: str      # names, used names, birth date and age, sex
    ipp: str
    allergies: str
    allergic: bool     # print the allergy cell red


def who_cells(words: Template, who: ScheduledPatient | None, ipp: str,
              today: dt.date) -> WhoCells:
    """The identity and allergy cells of one schedule line (``words``: identity.toml)."""
    if who is None:
        return WhoCells(UNKNOWN_PATIENT, ipp, words.text("allergies.unknown_short"), False)
    lines = identity_lines(words, who.patient, today=today)
    name = "\n".join(v for v in (lines.names, lines.used,
                                  f"{lines.birth} {lines.age} · {lines.sex}", lines.deceased)
                     if v)
    state = allergy_state(who.allergies)
    if state.current:
        flag = words.text("allergies.anaphylaxis") if state.anaphylaxis else "⚠ ALLERGIE"
        # substances only (a schedule line, not a care document): the band has the details
        allergy = f"{flag}\n" + " · ".join(allergy_text(a) for a in state.current)
    elif state.informed:
        allergy = absence_text(state, words)
    else:
        allergy = words.text("allergies.unknown_short")
    return WhoCells(name, who.patient.id, allergy, bool(state.current))


def patient_file(who: ScheduledPatient, extracted_at: dict[str, dt.datetime]) -> PatientFile:
    """A schedule's patient as the identity band of a patient document needs it."""
    return PatientFile(patient=who.patient, stay=who.stay, unit_name=who.unit_name,
                       allergies=who.allergies, extracted_at=extracted_at)
