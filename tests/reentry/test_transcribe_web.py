"""Transcription screens: reached from a number, boxes pre-listed, warnings, double entry."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import escape

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.fmt import PARIS
from pcsauvegarde.station.reentry import status, transcription
from pcsauvegarde.station.state.admissions import AdmissionRequest
from tests.support.constants import PASSWORD
from tests.support.transcription import dotation_line, plan_patient
from tests.support.web import client_as


def _plan_number(station):
    at = patients.extracted_at(station)["dpi"]
    ipp, _ = plan_patient(station)
    return station.journal.issue("administration_plan", "infirmiere", ipp=ipp, unit="CHD",
                                 now=at).number


def test_a_plan_opens_from_its_number_with_its_boxes_to_tick(station, logged_in):
    number = _plan_number(station)
    r = logged_in.get(f"/ressaisie/saisir/document/{number}")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/ressaisie/plan/{number}")
    html = logged_in.get(f"/ressaisie/plan/{number}").get_data(as_text=True)
    assert plan_patient(station)[1] in html and "à ressaisir" in html
    boxes = dict(re.findall(r'name="(box-\d+-(?:order_id|slot))" value="([^"]*)"', html))
    first = {"box-0-order_id": boxes["box-0-order_id"], "box-0-slot": boxes["box-0-slot"],
             "box-0-given": "oui", "box-0-initials": "IB", "box-0-dose": "",
             "box-0-at": "", "box-0-reason": "", "confirm": "1"}   # the slot is still ahead
    r = logged_in.post(f"/ressaisie/plan/{number}", data=first)
    assert r.status_code == 302
    [line] = transcription.current(station, "document", number)
    assert line.data["given"] is True and line.data["initials"] == "IB"
    assert status.current(station, "document", number).status == status.VERIFIED
    html = logged_in.get(f"/ressaisie/plan/{number}").get_data(as_text=True)
    assert "vérifié" in html and "Historique des ressaisies" in html


def test_warnings_are_shown_then_confirmed(station, logged_in):
    number = _plan_number(station)
    html = logged_in.get(f"/ressaisie/plan/{number}").get_data(as_text=True)
    boxes = dict(re.findall(r'name="(box-\d+-(?:order_id|slot))" value="([^"]*)"', html))
    form = {"box-0-order_id": boxes["box-0-order_id"], "box-0-slot": boxes["box-0-slot"],
            "box-0-given": "oui", "box-0-initials": "IB", "box-0-dose": "9999 mg"}
    r = logged_in.post(f"/ressaisie/plan/{number}", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "dose « 9999 mg » différente" in html
    assert 'name="confirm"' in html and transcription.current(station, "document", number) == []
    r = logged_in.post(f"/ressaisie/plan/{number}", data={**form, "confirm": "1"})
    assert r.status_code == 302
    assert transcription.current(station, "document", number)[0].warnings
    r = logged_in.post(f"/ressaisie/plan/{number}", data={**form, "box-0-given": "non"})
    assert r.status_code == 422 and "motif obligatoire" in r.get_data(as_text=True)


def test_merge_needs_a_second_person_on_screen(app, station, logged_in):
    ipp = plan_patient(station)[0]
    req = AdmissionRequest("DUPONT", "Zoé", dt.date(1990, 1, 1), "F", "CHD")
    a = patients.admissions_of(station).admit(req, "infirmiere")
    r = logged_in.post(f"/ressaisie/admission/{a.ipp}", data={"real_ipp": ipp})
    assert r.status_code == 409 and "nom de naissance" in r.get_data(as_text=True)
    r = logged_in.post(f"/ressaisie/admission/{a.ipp}", data={"real_ipp": ipp, "confirm": "1"})
    assert r.status_code == 302
    html = logged_in.get(f"/ressaisie/admission/{a.ipp}").get_data(as_text=True)
    assert "ressaisi" in html and 'id="verify"' in html
    real = patients.patient_file(station, ipp).patient      # shown beside the provisional one
    assert f"<strong>{escape(real.birth_name.upper())}</strong>" in html and "DUPONT" in html
    logged_in.post(f"/ressaisie/verifier/admission/{a.ipp}")
    assert status.current(station, "admission", a.ipp).status == status.REENTERED
    html = logged_in.get(f"/ressaisie/admission/{a.ipp}").get_data(as_text=True)
    assert "autre personne" in html
    station.accounts.add("cadre", "Claire Cadre", PASSWORD, ("soins",), ("*",))
    r = client_as(app, "cadre").post(f"/ressaisie/verifier/admission/{a.ipp}")
    assert r.status_code == 302
    assert status.current(station, "admission", a.ipp).status == status.VERIFIED


def test_a_number_with_nothing_to_reenter_says_so(station, logged_in):
    doc = station.journal.issue("census", "infirmiere", unit="CHD")
    r = logged_in.get(f"/ressaisie/saisir/document/{doc.number}", follow_redirects=True)
    assert r.request.path == "/ressaisie"
    assert "écran de ressaisie pour ce document" in r.get_data(as_text=True)
    r = logged_in.get(f"/ressaisie/plan/{doc.number}", follow_redirects=True)
    assert "pas un plan d" in r.get_data(as_text=True)


def test_lab_tray_and_pharmacy_screens(app, station, logged_in):
    from pcsauvegarde.station.documents.fmt import format_local, to_local
    from pcsauvegarde.station.lab.register import register_of
    from pcsauvegarde.station.reentry import transcribing

    ipp = plan_patient(station)[0]
    station.accounts.add("labo", "Léa Labo", PASSWORD, ("laboratoire",), ("*",))
    station.accounts.add("ste", "Sam Stérilisation", PASSWORD, ("stérilisation",), ("*",))
    station.accounts.add("pui", "Paul Pharmacie", PASSWORD, ("pharmacie",), ("*",))
    [number] = register_of(station).allocate("blank", 1, 1, "infirmiere", unit="CHD").numbers
    lab = client_as(app, "labo")
    at = dt.datetime.now(dt.UTC)
    r = lab.post(f"/ressaisie/etiquette/{number}", data={"ipp": ipp,
                                                         "collected_at": format_local(at)})
    assert r.status_code == 302
    assert transcription.current(station, "lab_label", number)[0].data["ipp"] == ipp
    assert logged_in.get(f"/ressaisie/etiquette/{number}").status_code == 403

    today = to_local(dt.datetime.now(dt.UTC)).date()
    [c] = transcribing.circulation_of(station).allocate([("PLATEAU-1", "CHD", None)], today,
                                                         "op", "ste")
    r = client_as(app, "ste").post(f"/ressaisie/plateau/{c.number}", data={
        "cycle": "C-1", "ipp": ipp, "used_at": format_local(at)})
    assert r.status_code == 409 and "non saisi sur ce poste" in r.get_data(as_text=True)

    doc = station.journal.issue("dotation", "pui", unit="CHD")
    pui = client_as(app, "pui")
    html = pui.get(f"/ressaisie/saisir/document/{doc.number}",
                   follow_redirects=True).get_data(as_text=True)
    stock = dotation_line(station)
    assert stock.product_id in html and "Quantité livrée" in html
    r = pui.post(f"/ressaisie/pharmacie/{doc.number}", data={
        "product-0-product_id": stock.product_id, "product-0-quantity": "12"})
    assert r.status_code == 302
    assert transcription.current(station, "dotation", doc.number)[0].data["quantity"] == 12


def test_a_load_form_is_tied_to_the_cycle_typed_from_it(app, station):
    from pcsauvegarde.station.sterilisation.entries import CycleEntries, CycleEntry

    station.accounts.add("ste", "Sam Stérilisation", PASSWORD, ("stérilisation",), ("*",))
    ste = client_as(app, "ste")
    entry = CycleEntries(station.state).add(CycleEntry(
        "autoclave", "AUTOCLAVE 1", "C-12", dt.datetime.now(dt.UTC), ("PLATEAU-1",)), "ste")
    doc = station.journal.issue("autoclave_load", "ste")
    html = ste.get(f"/ressaisie/saisir/document/{doc.number}",
                   follow_redirects=True).get_data(as_text=True)
    assert "C-12" in html and f'value="{entry.id}"' in html
    r = ste.post(f"/ressaisie/cycle/{doc.number}", data={"entry_id": str(entry.id)})
    assert r.status_code == 302
    assert transcription.current(station, "document", doc.number)[0].data == {
        "cycle_entry": entry.id}
    r = ste.post(f"/ressaisie/cycle/{doc.number}", data={"entry_id": "x"})
    assert r.status_code == 422 and "introuvable" in r.get_data(as_text=True)


def _box_fields(html: str) -> dict[int, dict[str, str]]:
    """Per box index: its hidden order/slot, typed values and the checked « donné » radio."""
    boxes: dict[int, dict[str, str]] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="box-(\d+)-(\w+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        box = boxes.setdefault(int(name[1]), {})
        if name[2] != "given":
            box[name[2]] = value[1] if value else ""
        elif "checked" in tag:
            box["given"] = value[1] if value else ""
    return boxes


def test_an_entry_outside_the_slots_shows_again_when_reopened(station, logged_in):
    number = _plan_number(station)
    html = logged_in.get(f"/ressaisie/plan/{number}").get_data(as_text=True)
    order_id = _box_fields(html)[0]["order_id"]
    at = patients.extracted_at(station)["dpi"] + dt.timedelta(minutes=30)
    typed = at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    r = logged_in.post(f"/ressaisie/plan/{number}", data={
        "box-0-order_id": order_id, "box-0-slot": "", "box-0-given": "oui",
        "box-0-initials": "HC", "box-0-dose": "", "box-0-at": typed, "box-0-reason": "",
        "confirm": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)
    [kept] = transcription.current(station, "document", number)
    assert kept.data["slot"] == ""
    boxes = _box_fields(logged_in.get(f"/ressaisie/plan/{number}").get_data(as_text=True))
    shown = [b for b in boxes.values() if b.get("initials") == "HC"]
    assert len(shown) == 1 and shown[0]["at"] == typed and shown[0]["given"] == "oui"
    assert shown[0]["order_id"] == order_id and shown[0]["slot"] == ""


def test_each_given_radio_has_its_own_label_in_a_group(station, logged_in):
    html = logged_in.get(f"/ressaisie/plan/{_plan_number(station)}").get_data(as_text=True)
    groups = re.findall(r'<fieldset class="given"[^>]*>(.*?)</fieldset>', html, re.S)
    assert groups and len(groups) == len(_box_fields(html))
    for group in groups:
        radios = re.findall(r'<input type="radio" id="([^"]+)" name="box-\d+-given" '
                            r'value="([^"]*)"', group)
        assert [v for _, v in radios] == ["oui", "non", ""]
        for (rid, _), word in zip(radios, ("oui", "non", "vide"), strict=True):
            assert re.search(rf'<input type="radio" id="{rid}"[^>]*>\s*<label for="{rid}">'
                             rf'{word}</label>', group), (rid, word)
