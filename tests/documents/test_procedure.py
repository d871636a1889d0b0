"""The « procédure synthétique »: one page from the station's own settings, printed by the admin."""

from __future__ import annotations

import html as htmllib

import pytest

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.documents.procedure import ProcedureSheet
from pcsauvegarde.station.procedure import procedure_sheet
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.station import open_station
from tests.support.constants import PASSWORD
from tests.support.page_quality import assert_page_quality, page_count
from tests.support.pdfcheck import page_texts
from tests.support.sample import LONG_UNIT, UUID_IPP, make_ctx
from tests.support.web import client_as


def _crowded() -> ProcedureSheet:
    """A station serving 40 units with long names and 25 contacts: still one page."""
    units = tuple((f"{LONG_UNIT[:60]}{i:02d}", f"Médecine interne et maladies infectieuses "
                   f"tropicales, secteur {i}", f"04 77 12 {i:02d} {i:02d}") for i in range(40))
    contacts = tuple(f"Astreinte n° {i} — Mme Marie-Bernadette de La Tour d'Auvergne-Lauraguais"
                     f" : 06 12 34 56 {i:02d}" for i in range(25))
    return ProcedureSheet(UUID_IPP, "http://127.0.0.1:8080", "imprimante « BUREAU-IDE »",
                          units, contacts, 120, lab_labels=True, tray_labels=True)


def test_one_page_whatever_the_station_serves():
    pdf = KINDS["procedure"].render(_crowded(), make_ctx())
    assert page_count(pdf) == 1
    assert_page_quality(pdf, allergies=False, barcodes=[make_ctx().document_number])
    text = " ".join(page_texts(pdf)[0].split())
    for words in ("Se connecter", "Imprimer un service", "Imprimer des étiquettes",
                  "DONNÉES PÉRIMÉES", "plus de 120 min", "Qui appeler", "BUREAU-IDE",
                  UUID_IPP, "Bon de demande", "autre(s)", "MODE DÉGRADÉ"):
        assert words in text, words
    # shortened lists say how much was left out, never drop it in silence
    assert "autre(s) contact(s)" in text


def test_sheet_from_the_station_settings_and_directory(settings):
    s = load_settings(settings.data_dir, {"procedure_contacts": [
        "Astreinte informatique : 4455", "Cadre de santé de garde : 4012"],
        "printer": "cups:SOINS-2", "stale_after_minutes": 45, "idle_timeout_minutes": 7})
    sheet = procedure_sheet(open_station(s))
    assert sheet.contacts == ("Astreinte informatique : 4455", "Cadre de santé de garde : 4012")
    assert sheet.printer == "imprimante « SOINS-2 » branchée sur ce poste"
    assert sheet.url == f"http://127.0.0.1:{s.port}" and sheet.stale_after_minutes == 45
    assert sheet.units and all(code and name for code, name, _ in sheet.units)
    assert any(phone for _, _, phone in sheet.units)  # the directory's unit phones
    pdf = KINDS["procedure"].render(sheet, make_ctx())
    text = page_texts(pdf)[0]
    assert "Astreinte informatique : 4455" in text and "plus de 45 min" in text
    assert "Après 7 minutes sans action" in text
    assert_page_quality(pdf, allergies=False, barcodes=[make_ctx().document_number])


def test_contacts_must_be_a_list(settings):
    from pcsauvegarde.station.settings import ConfigError

    with pytest.raises(ConfigError, match="« procedure_contacts » doit être une liste"):
        load_settings(settings.data_dir, {"procedure_contacts": "Astreinte : 4455"})


def test_admin_prints_the_procedure(app, station):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    admin = client_as(app, "chef")
    assert "Imprimer la procédure synthétique" in admin.get("/admin").get_data(as_text=True)
    r = admin.post("/admin/procedure", follow_redirects=True)
    page = htmllib.unescape(r.get_data(as_text=True))
    assert "Procédure synthétique imprimée (document STATION-DEMO-" in page
    (row,) = [d for d in station.journal.recent(5) if d["kind"] == "procedure"]
    assert row["issued_by"] == "chef" and row["ipp"] is None and row["pages"] == 1
    printed = [p for p in station.settings.printed_dir.glob("*.pdf")
               if "Procédure synthétique" in page_texts(p.read_bytes())[0]]
    assert len(printed) == 1


def test_sheet_and_heartbeat_name_only_the_units_the_station_serves(settings):
    """The unit directory is shared by every station: a station names its own units only."""
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.sync.heartbeat import _units

    unset = load_settings(settings.data_dir, {"units": []})  # the demo serves « * »
    station = open_station(unset)
    directory = patients.units(station)
    empty = [u.code for u in directory if not u.inpatients]
    assert empty  # the shared directory lists units this station holds nobody for
    codes = {code for code, _, _ in procedure_sheet(station).units}
    assert codes and not codes & set(empty)
    assert set(_units(unset)) == codes
    served = next(u.code for u in directory if u.inpatients)
    own = load_settings(settings.data_dir, {"units": [served, empty[0]]})
    assert [c for c, _, _ in procedure_sheet(open_station(own)).units] == sorted(
        [served, empty[0]])
    assert _units(own) == sorted([served, empty[0]])
    every = load_settings(settings.data_dir, {"units": ["*"]})
    assert len(procedure_sheet(open_station(every)).units) == len(directory)
