"""Register exports: CSV safe against formula injection, FHIR R4 resources as R4 wants them."""

from __future__ import annotations

import csv
import io

from pcsauvegarde.station.lab.exports import COLUMNS, accession_system, export_csv, export_fhir
from tests.support.lab import register


def test_csv_is_formula_safe_and_lists_every_number(tmp_path):
    reg = register(tmp_path)
    reg.allocate("blank", 3, 2, "labo")
    reg.allocate("patient", 1, 4, "=cmd|'/c calc'!A1", ipp="+33 HYPERLINK", urgent=True)
    out = io.StringIO()
    assert export_csv(reg.all(), out) == 4
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 5
    last = dict(zip(COLUMNS, rows[-1], strict=True))
    assert last["ipp"] == "'+33 HYPERLINK" and last["emis_par"].startswith("'=")
    assert last["urgent"] == "oui" and last["statut"] == "Numéros réservés, non imprimés"
    assert last["emis_le_utc"].endswith("Z")


def test_fhir_bundle_has_a_specimen_per_number_and_requests_for_patients(tmp_path):
    reg = register(tmp_path)
    blank = reg.allocate("blank", 2, 3, "labo")
    linked = reg.allocate("patient", 1, 2, "labo", ipp="00123456", urgent=True)
    bundle = export_fhir(reg.all())
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    resources = [e["resource"] for e in bundle["entry"]]
    specimens = [r for r in resources if r["resourceType"] == "Specimen"]
    requests = [r for r in resources if r["resourceType"] == "ServiceRequest"]
    assert [s["accessionIdentifier"]["value"] for s in specimens] == [*blank.numbers,
                                                                      *linked.numbers]
    assert all(s["accessionIdentifier"]["system"] == accession_system("poste-a")
               for s in specimens)
    assert len(specimens[0]["container"]) == 3 and "subject" not in specimens[0]
    [req] = requests
    # R4: status, intent and subject are mandatory on ServiceRequest
    assert (req["status"], req["intent"], req["priority"]) == ("active", "order", "stat")
    assert req["subject"]["identifier"]["value"] == "00123456"
    assert req["specimen"][0]["reference"] == next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"] is specimens[-1])
    assert len({e["fullUrl"] for e in bundle["entry"]}) == len(resources)
