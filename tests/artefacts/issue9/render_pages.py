"""Render the pages of issue 9's before/after images with the code on PYTHONPATH.

    git archive 7d3d2e1 | tar -x -C /tmp/before        # the code before issue 9
    PYTHONPATH=/tmp/before .venv/bin/python tests/artefacts/issue9/render_pages.py /tmp/b
    .venv/bin/python tests/artefacts/issue9/render_pages.py /tmp/a
    pdftoppm -gray -r 60 -png -singlefile /tmp/a/census.pdf census-after   # etc.

Uses only the API both versions share (records, PatientFile, render()).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from pathlib import Path

from pcsauvegarde.core.records import Allergy, Patient, Stay
from pcsauvegarde.station.documents import census, labels, patient_summary
from pcsauvegarde.station.documents.context import (
    CensusRow,
    DocumentContext,
    PatientFile,
    UnitFile,
)

UTC = dt.UTC
IPP = "IPP-7f3c9a2e-41b8-4d6a-9c0e-5b2f8d1a3e67-CHU-SAINT-ETIENNE-DU-RO"      # 64
NDA = "NDA-2026-0b5e7d9c-2f4a-4c1b-8e3d-6a9f0c2b4d81-URGENCES-ADULTES-B"      # 64
UUID = "f47ac10b-58cc-4372-a567-0e02b2c3d479"                                   # 36
UNIT = "UF-MEDECINE-INTERNE-ET-MALADIES-INFECTIEUSES-TROPICALES-SECT-B2X"     # 64


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    p = Patient(IPP, "de La Rochefoucauld-Montmorency-Aubignée",
                "Marie-Charlotte Anne-Sophie Eugénie-Victoire", dt.date(1948, 2, 3), "F",
                ins="248027512345678", ins_status="qualifiée")
    s = Stay(NDA, IPP, UNIT, dt.datetime(2026, 11, 24, 8, 30, tzinfo=UTC), room="12", bed="B",
             attending="Dr Benoît Château", reason="Décompensation cardiaque gauche")
    allergies = (Allergy("a1", IPP, "Pénicilline", "urticaire généralisée", "high"),)
    f = PatientFile(p, s, "Médecine interne", allergies,
                    extracted_at={"dpi": dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)})
    u = dataclasses.replace(f, patient=dataclasses.replace(p, id=UUID),
                            stay=dataclasses.replace(s, id=UUID[::-1], ipp=UUID))
    ctx = DocumentContext("Centre hospitalier de Saint-Étienne-du-Rouvray", "PCS-CARD-01",
                          "Mme Åsa Nguyễn", dt.datetime(2026, 11, 27, 13, 17, tzinfo=UTC),
                          dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC), "SYN-20261127-0042")
    (out / "header.pdf").write_bytes(patient_summary.render(u, ctx))
    try:
        (out / "header-64.pdf").write_bytes(patient_summary.render(f, ctx))
    except RecursionError:   # before issue 9: the band never fits its page
        print("en-tête avec un IPP de 64 caractères : RecursionError")
    (out / "labels.pdf").write_bytes(labels.render(f, ctx))
    rows = (CensusRow(f.patient, f.stay), CensusRow(u.patient, u.stay))
    (out / "census.pdf").write_bytes(census.render(UnitFile(UNIT, "Médecine interne", rows), ctx))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
