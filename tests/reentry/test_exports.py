"""Re-entry exports: FHIR validated by fhir.resources, HL7 v2 parsed back by python-hl7, CSV
read back; odd names (apostrophes, hyphens, accents) and emoji in every format."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import re

import hl7
import pytest
from fhir.resources.bundle import Bundle  # FHIR R4 4.0.1 (fhir.resources 6.5)

from pcsauvegarde.core.records import format_utc, parse_utc
from pcsauvegarde.core.text import CSV_BOM
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.fmt import format_local, to_local
from pcsauvegarde.station.lab.register import register_of
from pcsauvegarde.station.reentry import transcribing, transcription
from pcsauvegarde.station.reentry.exports import fhir, hl7v2, spreadsheet
from pcsauvegarde.station.state.admissions import AdmissionRequest
from pcsauvegarde.station.sterilisation.entries import CycleEntries, CycleEntry
from tests.support.transcription import dotation_line, plan_patient

BIRTH, USED, FIRST = "N'GUESSAN-ÉLODIE", "D'ARTAGNAN", "Marie-Ève Zoë"
REASON = "chute 🚑 =1+1"


@pytest.fixture
def filled(station):
    """A station with a verified transcription in every domain and a merged admission."""
    station.settings = dataclasses.replace(station.settings,
                                           ipp_assigning_authority="CHDEMO&1.2.3.4&ISO")
    ipp, drug = plan_patient(station)
    at = patients.extracted_at(station)["dpi"]
    plan_doc = station.journal.issue("administration_plan", "ide1", ipp=ipp, unit="CHD", now=at)
    p = transcribing.plan(station, plan_doc.number)
    order, slots = next((o, s) for o, s in p.rows if o.drug == drug)
    transcribing.enter_plan(station, p.number, [
        {"order_id": order.id, "slot": slots[0].isoformat(), "given": "oui", "initials": "M-È"},
        {"order_id": order.id, "slot": slots[1].isoformat(), "given": "non",
         "reason": "refus 😷 @patient"}], "ide1", confirmed=True, now=slots[1])
    batch = register_of(station).allocate("blank", 1, 2, "ide1", unit="CHD", now=at)
    transcribing.enter_lab(station, batch.numbers[0], {
        "ipp": ipp, "collected_at": format_local(at + dt.timedelta(minutes=20))}, "ide1",
        confirmed=True, now=at + dt.timedelta(hours=1))
    [c] = transcribing.circulation_of(station).allocate(
        [("PLATEAU-ORTHO", "BLOC", None)], to_local(at).date(), "op", "ste1")
    CycleEntries(station.state).add(CycleEntry("autoclave", "AUTOCLAVE 1", "C-7",
                                               at, ("PLATEAU-ORTHO",), lot="L-1"), "ste1")
    transcribing.enter_tray(station, c.number, {"cycle": "C-7", "ipp": ipp, "used_at":
                            format_local(at + dt.timedelta(hours=2))}, "ste1", confirmed=True,
                            now=at + dt.timedelta(hours=3))
    req = AdmissionRequest(BIRTH, FIRST, dt.date(1980, 2, 29), "F", "CHD", used_name=USED,
                           room="12", bed="A", reason=REASON)
    a = patients.admissions_of(station).admit(req, "ide1", now=at)
    transcribing.enter_merge(station, a.ipp, ipp, "ide1", confirmed=True)
    transcription.verify(station, "admission", "admission", a.ipp, "cadre")
    unmerged = patients.admissions_of(station).admit(
        dataclasses.replace(req, birth_name="O'BRIEN", reason=""), "ide1", now=at)
    transcribing.enter_merge(station, unmerged.ipp, ipp, "ide1", confirmed=True)  # unverified
    doc = station.journal.issue("dotation", "pui1", unit="CHD")
    stock = dotation_line(station)
    transcribing.enter_pharmacy(station, doc.number, [{"product_id": stock.product_id,
                                "quantity": "3", "note": "=HYPERLINK(\"x\") 💊"}], "pui1")
    return {"ipp": ipp, "admission": a, "unmerged": unmerged, "plan": plan_doc.number,
            "lab": batch.numbers[0], "tray": c.number, "dotation": doc.number}


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("domain", ["administration", "lab", "sterilisation", "admission"])
def test_every_fhir_bundle_is_valid_r4(station, filled, domain):
    bundle, pending = fhir.bundle(station, domain)
    Bundle.parse_obj(bundle)      # raises on any element R4 does not allow
    assert bundle["entry"] and pending == (1 if domain == "admission" else 0)


def test_fhir_contents(station, filled):
    given, refused = _resources(fhir.bundle(station, "administration")[0],
                                "MedicationAdministration")
    assert given["status"] == "completed" and given["performer"][0]["actor"]["display"] == "M-È"
    assert refused["status"] == "not-done"
    assert refused["statusReason"][0]["text"] == "refus 😷 @patient"
    # not given: no actual time; FHIR needs effective[x], so the planned time, said as such
    slot = transcription.current(station, "document", filled["plan"])[1].data["slot"]
    assert refused["effectiveDateTime"] == format_utc(parse_utc(slot))
    assert any("heure de la prise prévue" in n["text"] for n in refused["note"])
    assert not any("prise prévue" in n["text"] for n in given["note"])
    assert given["subject"]["identifier"]["value"] == filled["ipp"]
    [specimen] = _resources(fhir.bundle(station, "lab")[0], "Specimen")
    assert specimen["collection"]["collectedDateTime"].endswith("Z")
    assert specimen["subject"]["identifier"]["value"] == filled["ipp"]
    sterile = fhir.bundle(station, "sterilisation")[0]
    [device], [procedure] = _resources(sterile, "Device"), _resources(sterile, "Procedure")
    assert device["identifier"][0]["value"] == filled["tray"] and device["lotNumber"] == "L-1"
    assert procedure["focalDevice"][0]["manipulated"]["reference"].startswith("urn:uuid:")
    people = fhir.bundle(station, "admission")[0]
    merged = next(p for p in _resources(people, "Patient")
                  if p["identifier"][0]["value"] == filled["admission"].ipp)
    assert merged["name"][0] == {"use": "official", "family": BIRTH,
                                 "given": ["Marie-Ève", "Zoë"]}
    assert merged["name"][1]["family"] == USED
    assert merged["link"][0]["other"]["identifier"]["value"] == filled["ipp"]
    unmerged = next(p for p in _resources(people, "Patient")
                    if p["identifier"][0]["value"] == filled["unmerged"].ipp)
    assert "link" not in unmerged      # its merge is not verified yet
    encounters = _resources(people, "Encounter")
    assert {e["identifier"][0]["value"] for e in encounters} == {
        filled["admission"].nda, filled["unmerged"].nda}
    assert any(e.get("reasonCode", [{}])[0].get("text") == REASON for e in encounters)


def test_unverified_lines_are_left_out_of_fhir_and_counted(station, filled):
    station.settings = dataclasses.replace(station.settings, reentry_double_entry=("lab",))
    batch = register_of(station).allocate("blank", 1, 1, "ide1", unit="CHD")
    transcribing.enter_lab(station, batch.numbers[0], {
        "ipp": filled["ipp"], "collected_at": format_local(dt.datetime.now(dt.UTC))}, "ide1",
        confirmed=True)
    bundle, pending = fhir.bundle(station, "lab")
    assert pending == 1 and len(_resources(bundle, "Specimen")) == 1


def test_hl7_messages_parse_back(station, filled):
    text, pending = hl7v2.export(station)
    assert pending == 1                    # the unverified merge
    messages = [hl7.parse(m) for m in hl7.split_file(text)]
    events = [str(m.segment("MSH")[9]) for m in messages]
    assert events == ["ADT^A28^ADT_A05", "ADT^A01^ADT_A01"] * 2 + ["ADT^A40^ADT_A39"]
    a = filled["admission"]
    a28, a01, a40 = messages[0], messages[1], messages[4]
    assert a28["MSH.F18"] == "UNICODE UTF-8"
    assert a28["PID.F3.R1.C1"] == a.ipp and a28["PID.F3.R1.C5"] == "PI"
    assert [a28[f"PID.F3.R1.C4.S{i}"] for i in (1, 2, 3)] == ["CHDEMO", "1.2.3.4", "ISO"]
    assert a28["PID.F5.R1.C1"] == BIRTH and a28["PID.F5.R1.C2"] == "Marie-Ève"
    # IHE PAM France: PID-5.3 is the whole list of first names (the importer reads it so)
    assert a28["PID.F5.R1.C3"] == FIRST and a28["PID.F5.R1.C7"] == "L"
    assert a28["PID.F5.R2.C1"] == USED and a28["PID.F5.R2.C7"] == "D"
    assert a28["PID.F7"] == "19800229" and a28["PID.F8"] == "F"
    assert a01["PV1.F19.R1.C1"] == a.nda and a01["PV1.F19.R1.C5"] == "VN"
    assert a01["PV1.F3.R1.C1"] == "CHD" and a01["PV1.F3.R1.C3"] == "A"
    assert a01.unescape(a01["PV2.F3.R1.C2"]) == REASON
    assert a40["PID.F3.R1.C1"] == filled["ipp"] and a40["MRG.F1.R1.C1"] == a.ipp
    real = patients.patient_file(station, filled["ipp"]).patient     # the survivor's identity
    assert a40["PID.F5.R1.C1"] == real.birth_name and a40["PID.F5.R1.C7"] == "L"


def test_hl7_escapes_delimiters():
    assert hl7v2.esc("a|b^c&d~e\\f\rg") == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f g"


@pytest.mark.parametrize("domain", ["administration", "lab", "sterilisation", "admission",
                                    "pharmacy"])
def test_csv_per_domain_reads_back_formula_safe(station, filled, domain):
    text, count = spreadsheet.export(station, domain)
    assert text.startswith(CSV_BOM) and count >= 1
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(CSV_BOM)), delimiter=";"))
    assert len(rows) == count
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())
    if domain == "admission":
        row = next(r for r in rows if r["ipp_provisoire"] == filled["admission"].ipp)
        assert (row["nom_naissance"], row["nom_utilise"], row["prenoms"]) == (BIRTH, USED, FIRST)
        assert row["motif"] == REASON and row["ipp_definitif"] == filled["ipp"]
        assert row["verifie_par"] == "cadre"
    if domain == "pharmacy":
        assert rows[0]["remarque"] == "'=HYPERLINK(\"x\") 💊"
    if domain == "administration":
        assert {r["donne"] for r in rows} == {"oui", "non"}
        refused = next(r for r in rows if r["motif_non_donne"] == "refus 😷 @patient")
        assert refused["heure_reelle_utc"] == "" and refused["prise_prevue_utc"]


def test_admin_downloads_every_export_and_it_is_journalled(app, station, filled):
    from tests.support.constants import PASSWORD
    from tests.support.web import client_as

    station.accounts.add("chef", "Chef Admin", PASSWORD, ("admin",), ("*",))
    admin = client_as(app, "chef")
    html = admin.get("/ressaisie/exports").get_data(as_text=True)
    assert "non exportée(s) en FHIR/HL7" in html
    links = sorted(set(re.findall(r'href="(/ressaisie/exports/[^"]+)"', html)))
    assert len(links) == 10      # 2 + 2 + 2 + 3 (admissions: HL7 too) + 1 (pharmacy: CSV)
    for link in links:
        r = admin.get(link)
        assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
        assert r.headers["Content-Type"].count("charset") <= 1, r.headers["Content-Type"]
        body = r.get_data(as_text=True)
        if link.endswith("/fhir"):
            Bundle.parse_obj(json.loads(body))
        elif link.endswith("/hl7"):
            assert len(hl7.split_file(body)) == 5 and r.headers["X-Lignes-Non-Verifiees"] == "1"
        else:
            assert body.startswith(CSV_BOM)
    _, total = station.audit.search(action="reentry.exported")
    assert total == 10
    nurse = client_as(app, "infirmiere")
    assert nurse.get("/ressaisie/exports/admissions/hl7").status_code == 403
    assert admin.get("/ressaisie/exports/pharmacie/hl7").status_code == 404


def test_cli_export_writes_the_file_and_counts(station, filled, tmp_path):
    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.cli.reentry_exports import SLUGS
    from pcsauvegarde.station.reentry.exports import files

    assert SLUGS == tuple(files.SLUGS)
    out = tmp_path / "adt.hl7"
    r = CliRunner().invoke(main, ["ressaisie", "exporter", "--data",
                                  str(station.settings.data_dir), "--domaine", "admissions",
                                  "--format", "hl7", "--sortie", str(out)])
    assert r.exit_code == 0, r.output
    assert "5 élément(s) exporté(s)" in r.output and "1 ligne(s) non vérifiée(s)" in r.output
    assert len(hl7.split_file(out.read_bytes().decode("utf-8"))) == 5
    assert out.stat().st_mode & 0o777 == 0o600
    r = CliRunner().invoke(main, ["ressaisie", "exporter", "--data",
                                  str(station.settings.data_dir), "--domaine", "pharmacie",
                                  "--format", "hl7"])
    assert r.exit_code != 0 and "pas d'export « hl7 » pour « pharmacie »" in r.output
