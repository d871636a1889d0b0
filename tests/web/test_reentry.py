"""Re-entry screens: outage declaration, worklist scoped by unit, scan-to-mark, item page."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.reentry import outage, status
from pcsauvegarde.station.state.accounts import ROLES
from tests.support.constants import PASSWORD
from tests.support.reentry import issue_during_outage
from tests.support.web import client_as


def _text(r) -> str:
    return htmllib.unescape(r.get_data(as_text=True))


def _accounts(station, unit):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin", *ROLES[:-1]), ("*",))
    station.accounts.add("ide", "Infirmière", PASSWORD, ("soins",), (unit,))
    station.accounts.add("ide-rea", "Infirmier", PASSWORD, ("soins",), ("NOWHERE",))


def test_admin_declares_a_back_dated_outage_and_its_end(app, station):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    admin = client_as(app, "chef")
    assert "Aucune panne n'a été déclarée" in _text(admin.get("/ressaisie"))
    start = to_local(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    r = admin.post("/ressaisie/pannes", data={"action": "start", "when": start,
                                              "label": "Rançongiciel"})
    assert r.status_code == 302
    running = outage.running(station)
    assert running is not None and running.label == "Rançongiciel"
    assert to_local(running.start).strftime("%Y-%m-%dT%H:%M") == start
    earlier = to_local(dt.datetime.now(dt.UTC) - dt.timedelta(hours=5)).strftime(
        "%Y-%m-%dT%H:%M")
    r = admin.post("/ressaisie/pannes", data={"action": "amend", "when": earlier},
                   follow_redirects=True)
    assert "Début de panne corrigé" in _text(r)
    assert to_local(outage.running(station).start).strftime("%Y-%m-%dT%H:%M") == earlier
    r = admin.post("/ressaisie/pannes", data={"action": "end", "when": "hier"})
    assert r.status_code == 400 and "illisibles" in _text(r)
    r = admin.post("/ressaisie/pannes", data={"action": "end"}, follow_redirects=True)
    assert "Panne « Rançongiciel » du" in _text(r) and outage.running(station) is None


def test_scan_marks_and_progress_moves_within_the_nurses_unit(app, station):
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    nurse = client_as(app, "ide")
    page = _text(nurse.get("/ressaisie"))
    for number in (*done.documents, done.admission):
        assert number in page
    assert done.trays[0] not in page and done.lab_labels[0] not in page  # not her domains
    r = nurse.post("/ressaisie/scan", data={"code": f"{done.documents[0]}/1",
                                            "action": "ressaisi"}, follow_redirects=True)
    page = _text(r)
    assert f"{done.documents[0]} : ressaisi" in page
    assert status.current(station, "document", done.documents[0]).by == "ide"
    r = nurse.post("/ressaisie/scan", data={"code": done.documents[0], "action": "ressaisi"},
                   follow_redirects=True)
    assert "est déjà « ressaisi »" in _text(r)
    r = nurse.post("/ressaisie/scan", data={"code": "AUTRE-0000001", "action": "ressaisi"},
                   follow_redirects=True)
    assert "émis par un autre poste" in _text(r)
    other = client_as(app, "ide-rea")
    r = other.post("/ressaisie/scan", data={"code": done.documents[1], "action": "ressaisi"},
                   follow_redirects=True)
    assert "hors de votre liste de ressaisie" in _text(r)
    assert status.current(station, "document", done.documents[1]).status == "a_ressaisir"
    r = other.get(f"/ressaisie/element/document/{done.documents[1]}")
    assert r.status_code == 302


def test_item_page_marks_with_reason_and_shows_history(app, station):
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    admin = client_as(app, "chef")
    url = f"/ressaisie/element/tray/{done.trays[0]}"
    page = _text(admin.get(url))
    assert 'id="mark-ressaisi"' in page and "Jamais marqué" in page
    doc_page = _text(client_as(app, "ide").get(f"/ressaisie/element/document/{done.documents[0]}"))
    assert f'href="/documents/{done.documents[0]}" id="paper-link"' in doc_page
    r = admin.post(url, data={"status": "sans_objet"}, follow_redirects=True)
    assert "un motif est obligatoire" in _text(r)
    admin.post(url, data={"status": "sans_objet", "reason": "plateau jamais sorti"})
    page = _text(admin.get(url))
    assert "plateau jamais sorti" in page and "sans objet" in page
    table = _text(admin.get("/ressaisie", query_string={"statut": "sans_objet"}))
    assert done.trays[0] in table and done.trays[1] not in table
    assert "1 élément(s) affiché(s)" in table


def test_scanning_a_bundle_lists_its_documents(app, station):
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    r = client_as(app, "ide").post("/ressaisie/scan", data={"code": done.bundle},
                                   follow_redirects=True)
    page = _text(r)
    assert f"regroupe {len(done.documents)} élément(s)" in page
    assert f"{len(done.documents)} élément(s) affiché(s)" in page


def test_report_pdf_from_the_worklist(app, station):
    from tests.support.pdfcheck import page_texts
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    r = client_as(app, "chef").post("/ressaisie/rapport", data={"send": "preview"})
    assert r.mimetype == "application/pdf"
    assert "Bilan de ressaisie" in "\n".join(page_texts(r.data))


def test_admin_home_shows_kept_pdfs(app, station):
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    from pcsauvegarde.station.reentry import retention
    from tests.support.web import IN_UNIT
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    ipp = patients.inpatients(station, IN_UNIT)[0].patient.id
    first = issue_patient_document(station, "summary", ipp, "infirmiere")
    issue_patient_document(station, "summary", ipp, "infirmiere")
    kept = retention.kept(station)
    page = re.sub(r"<[^>]+>", "", _text(client_as(app, "chef").get("/admin")))
    assert f"conservées : {kept.count} fichier(s), {kept.megabytes} Mo" in page
    assert f"la plus ancienne : {first.document.number}" in page
    assert "purgée 90 jours après" in page


def test_a_purged_document_says_so(app, station):
    import datetime as dt

    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    from pcsauvegarde.station.reentry import retention
    from tests.support.web import IN_UNIT
    station.accounts.add("ide", "Infirmière", PASSWORD, ("soins",), ("*",))
    ipp = patients.inpatients(station, IN_UNIT)[0].patient.id
    doc = issue_patient_document(station, "summary", ipp, "infirmiere").document.number
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    assert retention.purge(station, now=later).purged == [doc]
    r = client_as(app, "ide").get(f"/documents/{doc}")
    assert r.status_code == 410 and "a été purgée le" in _text(r)
    assert "rien à ressaisir" in _text(r)


def test_an_exercise_has_its_own_worklist(app, station):
    from pcsauvegarde.station import exercise, patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    from tests.support.web import IN_UNIT
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    ipp = patients.inpatients(station, IN_UNIT)[0].patient.id
    exercise.start(station, "chef", "Exercice plan blanc")
    drill = issue_patient_document(station, "summary", ipp, "infirmiere").document.number
    exercise.end(station, "chef")
    page = _text(client_as(app, "chef").get("/ressaisie"))
    assert "Exercice « Exercice plan blanc »" in page and "exercice : ses documents" in page
    assert drill in page


def test_a_label_sheet_is_marked_at_once_and_refusals_are_named(app, station):
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    admin = client_as(app, "chef")
    status.mark(station, "lab_label", done.lab_labels[0], "ressaisi", "labo")
    status.mark(station, "lab_label", done.lab_labels[0], "verifie", "cadre")
    items = [f"lab_label:{n}" for n in done.lab_labels] + ["lab_label:99999999"]
    r = admin.post("/ressaisie/lot", data={"item": items, "status": "sans_objet",
                                           "reason": "planche abîmée"}, follow_redirects=True)
    page = _text(r)
    assert f"{len(done.lab_labels) - 1} élément(s) marqué(s) « sans objet »" in page
    assert "1 refusé(s)" in page and "« vérifié » à « sans objet » impossible" in page
    assert "1 élément(s) absent(s) de votre liste" in page
    assert status.current(station, "lab_label", done.lab_labels[1]).reason == "planche abîmée"
    nurse = client_as(app, "ide")   # labels are not a nurse's domain: none marked
    r = nurse.post("/ressaisie/lot", data={"item": [f"tray:{done.trays[0]}"],
                                           "status": "ressaisi"}, follow_redirects=True)
    assert "0 élément(s) marqué(s)" in _text(r)
    assert status.current(station, "tray", done.trays[0]).status == "a_ressaisir"


def test_scan_verification_obeys_double_entry(app, station):
    """Admissions need a second person (default reentry_double_entry): the scan path too."""
    done = issue_during_outage(station)
    _accounts(station, done.unit)
    station.accounts.add("ide2", "Infirmier de nuit", PASSWORD, ("soins",), (done.unit,))
    nurse = client_as(app, "ide")
    nurse.post("/ressaisie/scan", data={"code": done.admission, "action": "ressaisi"})
    r = nurse.post("/ressaisie/scan", data={"code": done.admission, "action": "verifie"},
                   follow_redirects=True)
    assert "doit être faite par une autre personne" in _text(r)
    assert status.current(station, "admission", done.admission).status == "ressaisi"
    client_as(app, "ide2").post("/ressaisie/scan", data={"code": done.admission,
                                                         "action": "verifie"})
    assert status.current(station, "admission", done.admission).by == "ide2"
    # a care document (double entry off by default) is verified by the same nurse
    nurse.post("/ressaisie/scan", data={"code": done.documents[0], "action": "ressaisi"})
    nurse.post("/ressaisie/scan", data={"code": done.documents[0], "action": "verifie"})
    assert status.current(station, "document", done.documents[0]).status == "verifie"
