"""A hand-built patient file and print context (French accents, every timing kind, 49 labs)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import (
    Allergy,
    Condition,
    ImagingExam,
    LabResult,
    MedicationOrder,
    Patient,
    Stay,
    Timing,
)
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile

UTC = dt.UTC
PRINTED = dt.datetime(2026, 11, 27, 13, 17, tzinfo=UTC)      # 14:17 in Paris (winter, +1 h)
EXTRACTED = dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)     # 14:05 in Paris
IPP = "00123456"
DOC_NUMBER = "SYN-20261127-0042"

# (code, label, unit, reference range, values oldest → newest, flags)
LAB_SERIES = [
    ("K", "Potassium", "mmol/L", "3,5–5,0", ["4,8", "5,2", "5,6", "5,9", "6,4", "5,1"],
     ["", "H", "H", "H", "HH", "H"]),
    ("NA", "Sodium", "mmol/L", "135–145", ["138", "137", "136", "134", "133", "135"],
     ["", "", "", "L", "L", ""]),
    ("CREA", "Créatinine", "µmol/L", "45–90", ["88", "95", "104", "121", "118", "110"],
     ["", "H", "H", "H", "H", "H"]),
    ("HB", "Hémoglobine", "g/dL", "12,0–16,0", ["11,2", "10,9", "10,1", "9,8", "7,4", "8,1"],
     ["L", "L", "L", "L", "LL", "L"]),
    ("GLU", "Glycémie", "mmol/L", "3,9–5,8", ["7,1", "6,2", "5,4", "5,0", "9,8", "6,1"],
     ["H", "H", "", "", "H", "H"]),
    ("CRP", "Protéine C réactive", "mg/L", "< 5", ["12", "25", "48", "36", "20", "9"],
     ["H", "H", "H", "H", "H", "H"]),
    ("TROP", "Troponine T ultrasensible", "ng/L", "< 14", ["18", "45", "120", "95", "60", "32"],
     ["H", "H", "HH", "HH", "H", "H"]),
    ("LEUCO", "Leucocytes", "G/L", "4,0–10,0", ["8,2", "9,1", "10,6", "11,4", "9,7", "8,8"],
     ["", "", "H", "H", "", ""]),
]


def _labs() -> tuple[LabResult, ...]:
    out = []
    for code, label, unit, ref, values, flags in LAB_SERIES:
        for i, (value, flag) in enumerate(zip(values, flags, strict=True)):
            at = EXTRACTED - dt.timedelta(hours=60 - 12 * i)
            out.append(LabResult(f"{code}-{i}", IPP, code, label, value, at, unit, ref, flag))
    # Older than the 72 h window: MUST NOT be printed.
    out.append(LabResult("K-old", IPP, "K", "Potassium", "3,1",
                         EXTRACTED - dt.timedelta(hours=80), "mmol/L", "3,5–5,0", "L"))
    return tuple(out)


def _orders() -> tuple[MedicationOrder, ...]:
    start = dt.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    o = MedicationOrder
    return (
        o("o1", IPP, "Furosémide", "40", Timing("fixed_times", times=("20:00", "08:00")),
          start, "mg", "IV", prescriber="Dr Benoît Château"),
        o("o2", IPP, "Amoxicilline", "1", Timing("every_hours", every_hours=8), start, "g",
          "IV", prescriber="Dr Zoé Müller", comments="Dilution dans 100 mL de NaCl 0,9 %"),
        o("o3", IPP, "Metformine", "500", Timing("times_per_day", per_day=3), start, "mg",
          "PO", prescriber="Dr Benoît Château"),
        o("o4", IPP, "Paracétamol", "1000", Timing("as_needed", max_per_day=4,
                                                   min_interval_hours=6), start, "mg", "PO"),
        o("o5", IPP, "Énoxaparine", "4000", Timing("once"), start, "UI", "SC",
          prescriber="Dr Zoé Müller"),
        o("o6", IPP, "Insuline asparte", "selon protocole",
          Timing("text", text="selon glycémie capillaire avant chaque repas"), start, "", "SC"),
        o("o7", IPP, "Kardégic", "75", Timing("times_per_day", per_day=1), start, "mg", "PO",
          status="stopped"),
    )


def make_patient_file() -> PatientFile:
    """Mme LEFÈVRE-DUBOIS in cardiology, with enough labs for a two-page summary."""
    patient = Patient(IPP, "Lefèvre-Dubois", "Hélène Marie-Noëlle", dt.date(1948, 2, 3), "F",
                      used_name="Martin", ins="248027512345678", ins_status="qualifiée")
    stay = Stay("2026000789", IPP, "CARD", dt.datetime(2026, 11, 24, 8, 30, tzinfo=UTC),
                room="12", bed="B", attending="Dr Benoît Château",
                reason="Décompensation cardiaque gauche")
    allergies = (Allergy("a1", IPP, "Pénicilline", "urticaire généralisée", "sévère"),
                 Allergy("a2", IPP, "Produits de contraste iodés", status="suspected"),
                 Allergy("a3", IPP, "Latex", status="entered-in-error"),
                 Allergy("a4", IPP, "Arachide", status="resolved"),
                 Allergy("a5", IPP, "Codéine", verification="refuted"))
    conditions = (Condition("c1", IPP, "Hypertension artérielle", "I10", dt.date(2009, 5, 1)),
                  Condition("c2", IPP, "Diabète de type 2", "E11", dt.date(2015, 9, 12)),
                  Condition("c3", IPP, "Cholécystectomie", status="resolved"))
    exams = (ImagingExam("i1", IPP, "US", "Échographie cardiaque transthoracique",
                         dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC), "Écho 2"),
             ImagingExam("i2", IPP, "CT", "Scanner thoracique", PRINTED, status="done"))
    return PatientFile(patient, stay, "Cardiologie", allergies, conditions, _orders(), (),
                       _labs(), exams, {"dpi": EXTRACTED, "lab": EXTRACTED})


def make_ctx(**changes: object) -> DocumentContext:
    """The print context; ``changes`` override fields (exercise, extracted_at…)."""
    base = DocumentContext("Centre hospitalier de Saint-Étienne-du-Rouvray", "PCS-CARD-01",
                           "Mme Åsa Nguyễn", PRINTED, EXTRACTED, DOC_NUMBER)
    return dataclasses.replace(base, **changes)


LONG_IPP = "IPP-" + "7f3c9a2e-41b8-4d6a-9c0e-5b2f8d1a3e67" + "-CHU-SAINT-ETIENNE-DU-RO"  # 64
LONG_NDA = "NDA-2026-" + "0b5e7d9c-2f4a-4c1b-8e3d-6a9f0c2b4d81" + "-URGENCES-ADULTES-B"  # 64
LONG_UNIT = "UF-" + "MEDECINE-INTERNE-ET-MALADIES-INFECTIEUSES-TROPICALES-SECT-B2X"  # 64
UUID_IPP = "f47ac10b-58cc-4372-a567-0e02b2c3d479"                                     # 36
LONG_BIRTH_NAME = "de La Rochefoucauld-Montmorency-Aubignée"                           # 40


def make_long_patient_file(ipp: str = LONG_IPP, nda: str = LONG_NDA) -> PatientFile:
    """The same record with identifiers of 64 characters, a 40-character compound birth name,
    three first names and no used name (issue 9: every layout MUST hold them)."""
    base = make_patient_file()
    patient = dataclasses.replace(base.patient, id=ipp, birth_name=LONG_BIRTH_NAME,
                                  first_names="Marie-Charlotte Anne-Sophie Eugénie-Victoire",
                                  used_name="")
    stay = dataclasses.replace(base.stay, id=nda, ipp=ipp, unit=LONG_UNIT,
                               room="Chambre d'isolement 12-bis", bed="Fenêtre")
    return dataclasses.replace(
        base, patient=patient, stay=stay, unit_name="",
        allergies=tuple(dataclasses.replace(a, ipp=ipp) for a in base.allergies),
        orders=tuple(dataclasses.replace(o, ipp=ipp) for o in base.orders),
        lab_results=tuple(dataclasses.replace(r, ipp=ipp) for r in base.lab_results),
        imaging_exams=tuple(dataclasses.replace(e, ipp=ipp) for e in base.imaging_exams))
