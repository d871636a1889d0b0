"""Downtime admission end to end (form → labels and wristband PDF → search), print retry list."""

from __future__ import annotations

import re

import pytest

from pcsauvegarde.station import patients
from tests.support.pdfcheck import barcodes, page_texts

FORM = {"birth_name": "Lefèvre", "used_name": "Martin", "first_names": "Zoé Anaïs",
        "birth_date": "14/07/1990", "sex": "F", "birth_place": "Rouen", "room": "3",
        "bed": "A", "reason": "Douleur thoracique"}


def _unit(station):
    return patients.units(station)[0]


@pytest.mark.slow
def test_admission_end_to_end(logged_in, station):
    unit = _unit(station)
    page = logged_in.get("/admissions").get_data(as_text=True)
    assert "Admission en mode dégradé" in page and "IPP 999999" in page.replace("\u202f", "")

    # bad input: refused with French messages per field, nothing admitted
    bad = {**FORM, "unit": "NOPE", "birth_date": "01/01/2999", "first_names": "Zoé\x07",
           "reason": "x" * 201}
    r = logged_in.post("/admissions", data=bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    for message in ("date dans le futur", "unité « NOPE » inconnue",
                    "caractères de contrôle interdits", "200 caractères au plus"):
        assert message in html
    assert "Lefèvre" in html                       # the form keeps what was typed

    # a good admission: provisional numbers, labels + wristband printed at once
    r = logged_in.post("/admissions", data={**FORM, "unit": unit.code, "send": "printer"})
    assert r.status_code == 302
    number = r.headers["Location"].rsplit("/", 1)[1]
    doc = logged_in.get(f"/documents/{number}").get_data(as_text=True)
    assert "IPP provisoire 90000001" in doc and "NDA provisoire 900000001" in doc
    assert "envoyé à l&#39;imprimante" in doc or "envoyé à l'imprimante" in doc
    pdf = logged_in.get(f"/documents/{number}.pdf").data
    texts = page_texts(pdf)
    assert len(texts) == 3 and texts[0].count("LEFÈVRE  Zoé Anaïs") == 24
    assert "IDENTITÉ PROVISOIRE" in texts[0] and "Bracelet d'identification" in texts[1]
    assert barcodes(pdf, 0) == ["90000001"] * 24
    assert {"90000001", "900000001", number} <= set(barcodes(pdf, 1))
    # the lab label set of the admission kit: 4 lab numbers × 4 tubes, from the lab range
    from pcsauvegarde.station.lab.register import register_of
    lab = register_of(station).search("90000001")
    assert [e.number for e in lab] == ["95000014", "95000022", "95000030", "95000048"]
    assert {e.batch.status for e in lab} == {"printed"} and lab[0].batch.kind == "admission"
    assert texts[2].count("LEFÈVRE") == 16 and "Tube 4/4" in texts[2]
    assert sorted(set(barcodes(pdf, 2)) - {number}) == sorted(f"{e.number}{t:02d}" for e in lab
                                              for t in range(1, 5))
    printed = list((station.settings.data_dir / "printed").glob("*.pdf"))
    assert len(printed) == 1 and printed[0].read_bytes() == pdf
    journal = station.journal.recent(1)[0]
    assert (journal["number"], journal["kind"], journal["ipp"]) == (number, "admission",
                                                                    "90000001")

    # the provisional patient is in search, in the unit list and has a page with a summary
    r = logged_in.get("/recherche", query_string={"q": "lefevre zoe"})
    html = r.get_data(as_text=True)
    assert "90000001" in html and "provisoire" in html
    r = logged_in.get("/recherche", query_string={"q": "90000001"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/patients/90000001")
    assert "90000001" in logged_in.get(f"/services/{unit.code}").get_data(as_text=True)
    page = logged_in.get("/patients/90000001").get_data(as_text=True)
    assert "Identité provisoire — admission en mode dégradé" in page
    r = logged_in.post("/patients/90000001/documents/summary")
    summary = logged_in.get(r.headers["Location"] + ".pdf").data
    assert "LEFÈVRE" in page_texts(summary)[0] and "90000001" in barcodes(summary)

    # same name and birth date again: a possible duplicate must be confirmed
    r = logged_in.post("/admissions", data={**FORM, "unit": unit.code})
    assert r.status_code == 409 and "Patient peut-être déjà connu" in r.get_data(as_text=True)
    r = logged_in.post("/admissions", data={**FORM, "unit": unit.code, "confirm_new": "1"})
    assert r.status_code == 302
    admissions = logged_in.get("/admissions").get_data(as_text=True)
    assert "90000002" in admissions and "900000002" in admissions


def test_labels_from_patient_page_and_failed_print_goes_to_retry_list(logged_in, station):
    row = patients.inpatients(station, _unit(station).code)[0]
    ipp = row.patient.id
    page = logged_in.get(f"/patients/{ipp}").get_data(as_text=True)
    assert "Imprimer les étiquettes" in page and "Imprimante : " in page
    assert 'id="printer-status"' in page

    # the printer folder is unusable: the job fails, says so, and waits on the retry list
    from pcsauvegarde.station.printing import FilePrinter
    good = station.printer
    blocker = station.settings.data_dir / "blocked"
    blocker.write_text("not a folder")
    station.printer = FilePrinter(blocker / "printed")
    r = logged_in.post(f"/patients/{ipp}/documents/labels", data={"count": "3",
                                                                  "send": "printer"})
    number = r.headers["Location"].rsplit("/", 1)[1]
    html = logged_in.get(f"/documents/{number}").get_data(as_text=True)
    assert "Échec de l&#39;impression" in html or "Échec de l'impression" in html
    pdf = logged_in.get(f"/documents/{number}.pdf").data
    assert barcodes(pdf) == [ipp] * 3                 # the browser preview still works
    jobs = logged_in.get("/impressions").get_data(as_text=True)
    assert number in jobs and "Réessayer" in jobs and "1 en échec" in jobs
    job_id = re.search(r"/impressions/(\d+)/reessayer", jobs).group(1)

    station.printer = good
    r = logged_in.post(f"/impressions/{job_id}/reessayer")
    assert r.status_code == 302
    jobs = logged_in.get("/impressions").get_data(as_text=True)
    assert "Aucune impression en échec" in jobs and "envoyé à l" in jobs

    r = logged_in.post(f"/patients/{ipp}/documents/labels", data={"count": "abc"})
    assert "Nombre d&#39;étiquettes invalide" in logged_in.get(r.headers["Location"]).get_data(
        as_text=True)
