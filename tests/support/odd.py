"""A small hospital of odd shapes: UUID unit code, alphanumeric IPP/NDA, deceased, discharged."""

from __future__ import annotations

# Identifiers as real exports have them: a UUID unit code (36 characters), UUID and
# alphanumeric IPP/NDA (issue 9).
ODD_UNIT = "0f8fad5b-d9cb-469f-a165-70867728950e"
ODD_IPP = "b5c1e8a2-3d4f-4a6b-9c7d-1e2f3a4b5c6d"
ODD_NDA = "NDA-2026-AB12cd"


def odd_hospital(now):
    """A small hospital of odd shapes: long ids, a deceased inpatient, a discharged patient."""
    import datetime as dt

    from pcsauvegarde.core.records import Allergy, Condition, Patient, Stay, Unit
    day = dt.timedelta(days=1)
    dpi = [
        Patient(ODD_IPP, "LEFEBVRE-DE-LA-TOUR", "Marie Anne", dt.date(1950, 3, 4), "F",
                used_name="MARTIN"),
        Stay(ODD_NDA, ODD_IPP, ODD_UNIT, now - 2 * day, room="12", bed="A"),
        Allergy("al-1", ODD_IPP, "Pénicilline", reaction="Anaphylaxie", severity="high"),
        Allergy("al-2", ODD_IPP, "Latex", reaction="Urticaire", severity="severe"),
        Allergy("al-3", ODD_IPP, "Iode", status="refuted"),
        Condition("co-1", ODD_IPP, "Appendicite aiguë", status="resolved"),
        Condition("co-2", ODD_IPP, "Diabète de type 2"),
        Patient("IPP-DCD-1", "BERNARD", "Paul", dt.date(1940, 1, 2), "M", deceased=True),
        Stay("NDA-DCD-1", "IPP-DCD-1", ODD_UNIT, now - 5 * day, room="14"),
        Allergy("al-nka", "IPP-DCD-1", "No known allergy", code="716186003"),
        Patient("IPP-OUT-1", "PETIT", "Léa", dt.date(1990, 5, 6), "F"),
        Stay("NDA-OUT-1", "IPP-OUT-1", ODD_UNIT, now - 9 * day, room="15",
             discharge=now - 3 * day),
    ]
    return {"dpi": dpi, "directory": [Unit(ODD_UNIT, "Soins continus")]}
