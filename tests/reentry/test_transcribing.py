"""Transcribing each kind of paper item: what was printed is found, what was typed checked."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.fmt import format_local, to_local
from pcsauvegarde.station.lab.register import register_of
from pcsauvegarde.station.reentry import status, transcribing, transcription
from pcsauvegarde.station.reentry.transcribing import NotFound
from pcsauvegarde.station.reentry.transcription import NeedsConfirmation
from pcsauvegarde.station.reentry.transcription_checks import (
    PlanContext,
    TranscriptionInvalid,
    administration_line,
)
from pcsauvegarde.station.state.admissions import AdmissionRequest
from pcsauvegarde.station.sterilisation.entries import CycleEntries, CycleEntry
from tests.support.transcription import dotation_line, plan_patient


def _printed_at(station):
    return patients.extracted_at(station)["dpi"]


def _plan(station):
    ipp, drug = plan_patient(station)
    doc = station.journal.issue("administration_plan", "infirmiere", ipp=ipp, unit="CHD",
                                now=_printed_at(station))
    return transcribing.plan(station, doc.number), drug


def _ipp(station):
    return plan_patient(station)[0]


def _row(order, slot, **kw):
    return {"order_id": order.id, "slot": slot.isoformat(), **kw}


def test_the_plan_lists_the_orders_and_boxes_printed(station):
    p, drug = _plan(station)
    drugs = {o.drug: len(slots) for o, slots in p.rows}
    assert drugs[drug] >= 3
    assert all(p.window[0] <= s < p.window[1] for _, slots in p.rows for s in slots)
    assert all(s >= p.printed_at - dt.timedelta(hours=1) for _, slots in p.rows for s in slots)


def test_plan_boxes_are_kept_and_blank_ones_skipped(station):
    p, drug = _plan(station)
    order, slots = next((o, s) for o, s in p.rows if o.drug == drug)
    now = slots[-1] + dt.timedelta(hours=3)
    rows = [_row(order, slots[0], given="oui", dose=f"{order.dose} {order.unit}", initials="IB"),
            _row(order, slots[1], given="non", reason="patient au bloc 😷"),
            _row(order, slots[2], given="")]
    kept = transcribing.enter_plan(station, p.number, rows, "ide1", now=now)
    assert [(k.data["given"], k.data["reason"]) for k in kept] == [
        (True, ""), (False, "patient au bloc 😷")]
    assert kept[0].data["at"] == slots[0].isoformat() and kept[0].data["ipp"] == p.file.patient.id
    assert status.current(station, "document", p.number).status == status.VERIFIED
    assert set(transcribing.plan(station, p.number).lines) == {k.line for k in kept}


def test_plan_warnings_dose_slot_window_future(station):
    p, drug = _plan(station)
    order, slots = next((o, s) for o, s in p.rows if o.drug == drug)
    local = to_local(slots[0])
    far = local - dt.timedelta(hours=3)   # still after printing: in the future
    rows = [_row(order, slots[0], given="oui", dose="9999 mg", initials="IB",
                 at=far.strftime("%H:%M"))]
    outage = (p.printed_at + dt.timedelta(days=5), None)
    with pytest.raises(NeedsConfirmation) as err:
        transcribing.enter_plan(station, p.number, rows, "ide1", outage=outage,
                                now=p.printed_at)
    text = " | ".join(err.value.warnings)
    assert f"dose « 9999 mg » différente de la prescription « {order.dose} {order.unit} »" in text
    assert "plus de 2 h d'écart" in text and "hors de la période de panne" in text
    assert "dans le futur" in text
    assert all(w.startswith(f"{order.drug}, prise de ") for w in err.value.warnings)
    assert order.id not in text           # the drug names the line, not the order's id
    assert transcription.current(station, "document", p.number) == []
    kept = transcribing.enter_plan(station, p.number, rows, "ide1", outage=outage,
                                   now=p.printed_at, confirmed=True)
    assert len(kept[0].warnings) == 4


def test_plan_errors_unknown_order_and_not_a_plan(station):
    p, _ = _plan(station)
    order, slots = next((o, s) for o, s in p.rows if s)
    with pytest.raises(TranscriptionInvalid) as err:
        transcribing.enter_plan(station, p.number, [_row(order, slots[0], given="non"),
                                                    _row(order, slots[0], given="oui")], "ide1")
    assert "motif obligatoire" in str(err.value) and "initiales" in str(err.value)
    rows = [{"order_id": "inconnue", "slot": "", "given": "oui", "initials": "IB",
             "at": format_local(slots[0])}]
    with pytest.raises(NeedsConfirmation, match="prescription inconnue du plan"):
        transcribing.enter_plan(station, p.number, rows, "ide1", now=slots[0])
    other = station.journal.issue("census", "infirmiere", unit="CHD")
    with pytest.raises(NotFound, match="pas un plan d'administration"):
        transcribing.plan(station, other.number)


def test_lab_label_patient_and_collection(station):
    ipp = _ipp(station)
    batch = register_of(station).allocate("blank", 1, 2, "ide1", unit="CHD")
    [number] = batch.numbers
    at = (batch.issued_at + dt.timedelta(minutes=30)).replace(second=0, microsecond=0)
    kept = transcribing.enter_lab(station, number, {"ipp": ipp, "collected_at":
                                                    format_local(at)}, "ide1", now=at)
    assert kept[0].data["ipp"] == ipp and kept[0].data["collected_at"] == at.isoformat()
    with pytest.raises(NeedsConfirmation) as err:
        transcribing.enter_lab(station, number, {"ipp": "99999999", "collected_at":
                               format_local(at + dt.timedelta(days=2))}, "ide1", now=at)
    assert any("IPP 99999999 inconnu" in w for w in err.value.warnings)
    assert any("dans le futur" in w for w in err.value.warnings)
    with pytest.raises(TranscriptionInvalid, match="illisibles"):
        transcribing.enter_lab(station, number, {"ipp": ipp, "collected_at": "hier"}, "ide1")
    with pytest.raises(NotFound, match="jamais émis"):
        transcribing.enter_lab(station, "9599990", {"ipp": ipp}, "ide1")


def test_tray_cycle_patient_reuses_typed_cycles(station):
    ipp = _ipp(station)
    circulation = transcribing.circulation_of(station)
    today = to_local(_printed_at(station)).date()
    [c] = circulation.allocate([("PLATEAU-ORTHO-1", "BLOC", None)], today, "op", "ste1")
    used = _printed_at(station) + dt.timedelta(hours=1)
    entry = CycleEntries(station.state).add(CycleEntry(
        "autoclave", "AUTOCLAVE 2", "C-4711", used - dt.timedelta(hours=3),
        ("PLATEAU-ORTHO-1",), lot="L12"), "ste1")
    kept = transcribing.enter_tray(station, c.number, {"cycle": "C-4711", "ipp": ipp,
                                                       "used_at": format_local(used)},
                                   "ste1", now=used)
    assert kept[0].data["cycle_entry"] == entry.id and kept[0].data["lot"] == "L12"
    with pytest.raises(NeedsConfirmation, match="cycle C-9 non saisi"):
        transcribing.enter_tray(station, c.number, {"cycle": "C-9", "ipp": ipp,
                                                    "used_at": format_local(used)}, "ste1",
                                now=used)
    doc = station.journal.issue("autoclave_load", "ste1")
    assert transcribing.cycle_form(station, doc.number) == ("autoclave", [entry])
    [link] = transcribing.enter_cycle(station, doc.number, entry.id, "ste1")
    assert link.data == {"cycle_entry": entry.id}
    washer = station.journal.issue("washer_load", "ste1")
    with pytest.raises(NotFound, match="introuvable parmi les cycles de laveur"):
        transcribing.enter_cycle(station, washer.number, entry.id, "ste1")


def _admit(station, **kw):
    req = AdmissionRequest(kw.get("birth_name", "N'GUESSAN-ÉLODIE"), "Marie-Ève",
                           dt.date(1980, 2, 29), "F", "CHD", used_name="D'ARTAGNAN")
    return patients.admissions_of(station).admit(req, "ide1")


def test_merge_list_warnings_and_second_person(station):
    ipp = _ipp(station)
    a = _admit(station)
    other = _admit(station)
    with pytest.raises(TranscriptionInvalid, match="IPP provisoire"):
        transcribing.enter_merge(station, a.ipp, other.ipp, "ide1")
    with pytest.raises(NeedsConfirmation) as err:
        transcribing.enter_merge(station, a.ipp, ipp, "ide1")
    assert any("nom de naissance" in w for w in err.value.warnings)
    transcribing.enter_merge(station, a.ipp, ipp, "ide1", confirmed=True)
    assert status.current(station, "admission", a.ipp).status == status.REENTERED
    with pytest.raises(transcription.TranscriptionError, match="autre personne"):
        transcription.verify(station, "admission", "admission", a.ipp, "ide1")
    transcription.verify(station, "admission", "admission", a.ipp, "cadre")
    assert status.current(station, "admission", a.ipp).status == status.VERIFIED


def test_pharmacy_dotation_delivery(station):
    doc = station.journal.issue("dotation", "pui1", unit="CHD")
    kind, expected = transcribing.pharmacy_expected(station, doc.number)
    stock = dotation_line(station)
    assert kind == "dotation" and expected[stock.product_id] == stock.quantity
    other = next(p for p in expected if p != stock.product_id)
    rows = [{"product_id": stock.product_id, "quantity": str(stock.quantity)},
            {"product_id": other, "quantity": ""}]
    [kept] = transcribing.enter_pharmacy(station, doc.number, rows, "pui1")
    assert kept.data["quantity"] == stock.quantity and kept.data["kind"] == "dotation"
    with pytest.raises(NeedsConfirmation, match="plus de 3 fois la dotation"):
        transcribing.enter_pharmacy(station, doc.number, [
            {"product_id": stock.product_id, "quantity": str(4 * stock.quantity)}], "pui1")
    with pytest.raises(TranscriptionInvalid, match="quantité « -2 » invalide"):
        transcribing.enter_pharmacy(station, doc.number,
                                    [{"product_id": stock.product_id, "quantity": "-2"}], "pui1")


def test_a_dose_against_an_order_without_dose_says_so(station):
    p, drug = _plan(station)
    order, slots = next((o, s) for o, s in p.rows if o.drug == drug)
    bare = dataclasses.replace(order, dose="", unit="")
    ctx = PlanContext({order.id: bare}, p.window, None, slots[0])
    line = administration_line(_row(order, slots[0], given="oui", dose="2,5 UI",
                                    initials="IB"), ctx)
    assert line is not None
    text = " | ".join(line.warnings)
    assert "dose « 2,5 UI » donnée, prescription sans dose écrite" in text
    assert "« »" not in text


def test_a_dose_not_given_has_no_actual_time(station):
    p, drug = _plan(station)
    order, slots = next((o, s) for o, s in p.rows if o.drug == drug)
    [kept] = transcribing.enter_plan(station, p.number, [
        _row(order, slots[1], given="non", reason="à jeun")], "ide1", now=slots[0])
    assert kept.data["at"] == "" and kept.data["slot"] == slots[1].isoformat()
    assert not any("dans le futur" in w for w in kept.warnings)
