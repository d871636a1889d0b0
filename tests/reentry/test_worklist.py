"""The re-entry worklist: everything issued in the outage, by domain and unit, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.station import exercise
from pcsauvegarde.station.issuing.issue import issue_patient_document
from pcsauvegarde.station.reentry import outage, status, worklist
from pcsauvegarde.station.reentry.outage import OutageError
from pcsauvegarde.station.state.accounts import User
from tests.support.reentry import issue_during_outage


def _user(roles, units=("*",)):
    return User("u", "U", roles, units, True)


def test_every_item_of_the_outage_is_listed_once(station):
    done = issue_during_outage(station)
    found = worklist.items(station, done.window)
    keys = [i.key for i in found]
    assert len(keys) == len(set(keys))
    expected = ({("document", n) for n in done.documents}
                | {("lab_label", n) for n in done.lab_labels + done.admission_labels}
                | {("tray", n) for n in done.trays} | {("admission", done.admission)})
    assert set(keys) == expected
    assert len(done.documents) >= 2 and len(done.lab_labels) == 2 and len(done.trays) == 2
    by = {i.key: i for i in found}
    adm = by[("admission", done.admission)]
    assert adm.domain_label == "Admissions" and "D'ARTAGNAN-ÉPÉE Zoé" in adm.patient
    assert adm.unit == done.unit and adm.issuer == "infirmiere"
    lab = by[("lab_label", done.lab_labels[0])]
    assert lab.domain == "biologie" and lab.patient and "3 tube(s)" in lab.detail
    doc = by[("document", done.documents[0])]
    assert doc.domain == "soins" and f"dans la liasse {done.bundle}" in doc.detail
    assert all(i.status.status == "a_ressaisir" for i in found)
    domains = {p.key: p.total for p in worklist.progress(found, "domain")}
    assert domains == {"soins": len(done.documents), "admissions": 1,
                       "biologie": len(done.lab_labels) + len(done.admission_labels),
                       "stérilisation": 2}


def test_documents_outside_the_window_or_of_an_exercise_are_left_out(station):
    done = issue_during_outage(station)
    ipp = next(i.ipp for i in worklist.items(station, done.window) if i.ipp)
    after = issue_patient_document(station, "summary", ipp, "infirmiere")
    exercise.start(station, "chef", "Exercice blanc")
    drill = issue_patient_document(station, "summary", ipp, "infirmiere")
    exercise.end(station, "chef")
    real = outage.declare_start(station, "chef", done.window.end)
    numbers = {i.number for i in worklist.items(station, real)}
    assert drill.document.number not in numbers and after.document.number in numbers
    assert done.documents[0] not in numbers
    (drill_window,) = outage.exercise_windows(station)
    assert {i.number for i in worklist.items(station, drill_window)} == {
        drill.document.number}
    assert outage.find(station, drill_window.key) == drill_window


def test_progress_moves_and_filters_apply(station):
    done = issue_during_outage(station)
    status.mark(station, "tray", done.trays[0], "ressaisi", "agent")
    status.mark(station, "tray", done.trays[0], "verifie", "cadre")
    status.mark(station, "tray", done.trays[1], "sans_objet", "agent", "plateau détruit")
    found = worklist.items(station, done.window)
    steril = next(p for p in worklist.progress(found, "domain") if p.key == "stérilisation")
    assert steril.counts == {"verifie": 1, "sans_objet": 1} and steril.percent_done == 100
    assert [i.number for i in worklist.filtered(found, status="sans_objet")] == [done.trays[1]]
    assert {i.number for i in worklist.filtered(found, text="d'artagnan")} == {
        done.admission, *done.admission_labels}
    assert all(i.unit == done.unit for i in worklist.filtered(found, unit=done.unit))
    assert worklist.filtered(found, domain="pharmacie") == []


def test_scope_by_role_and_unit(station):
    done = issue_during_outage(station)
    found = worklist.items(station, done.window)
    nurse = _user(("soins",), (done.unit,))
    seen = [i for i in found if worklist.may_see(nurse, i)]
    assert {i.domain for i in seen} == {"soins", "admissions"}
    assert all(i.unit == done.unit for i in seen)
    other = _user(("soins",), ("NOWHERE",))
    assert not [i for i in found if worklist.may_see(other, i)]
    lab = _user(("laboratoire",))
    assert {i.domain for i in found if worklist.may_see(lab, i)} == {"biologie"}
    admin = _user(("admin",))
    assert all(worklist.may_see(admin, i) for i in found)
    assert worklist.domains_of(_user(("imagerie",))) == ()


def test_outage_declarations_are_checked_and_audited(station):
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(OutageError, match="dans le futur"):
        outage.declare_start(station, "chef", now + dt.timedelta(hours=1))
    with pytest.raises(OutageError, match="aucune panne en cours"):
        outage.declare_end(station, "chef")
    w = outage.declare_start(station, "chef", now - dt.timedelta(days=2), "Cyberattaque")
    with pytest.raises(OutageError, match="déjà déclarée"):
        outage.declare_start(station, "chef")
    with pytest.raises(OutageError, match="doit suivre le début"):
        outage.declare_end(station, "chef", now - dt.timedelta(days=3))
    ended = outage.declare_end(station, "chef", now - dt.timedelta(days=1))
    assert ended.end == now - dt.timedelta(days=1) and ended.id == w.id
    for overlapping in (now - dt.timedelta(days=1, hours=2), now - dt.timedelta(days=9)):
        with pytest.raises(OutageError, match=r"chevaucherait celle du .* déjà close"):
            outage.declare_start(station, "chef", overlapping)
    assert station.audit.search(action="outage.started")[1] == 1
    assert station.audit.search(action="outage.ended")[1] == 1
    assert "Cyberattaque" in outage.latest(station).title


def test_pharmacy_papers_and_form_kits_are_listed(station):
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_supplier_document, issue_unit_document
    from pcsauvegarde.station.issuing.kit import issue_unit_kit
    from pcsauvegarde.station.pharmacy import dotations, orders

    now = dt.datetime.now(dt.UTC)
    window = outage.declare_start(station, "chef", now - dt.timedelta(hours=1))
    unit = min((u for u in patients.units(station) if u.inpatients and u.code != "REA"),
               key=lambda u: u.inpatients).code
    kit = issue_unit_kit(station, unit, ["surveillance-24h"], "infirmiere", roles=("soins",))
    supplier = orders.suppliers(station.store)[0][0]
    form = orders.order_form(station.store, supplier.code, "")
    order = issue_supplier_document(station, "supplier_order", form, "pharmacien")
    stock_unit = sorted(dotations.dotation_units(station.store))[0]
    stock = dotations.ward_stock_list(station.store, stock_unit, "")
    dotation = issue_unit_document(station, "dotation", stock, "pharmacien")
    found = {i.number: i for i in worklist.items(station, window)}
    assert kit.document.number not in found   # the kit's forms are the items
    forms = [i for i in found.values() if i.document == kit.document.number]
    assert len(forms) == len(patients.inpatients(station, unit)) >= 1
    from pcsauvegarde.station.documents.forms import get_form
    title = get_form("surveillance-24h").title
    assert all(i.title == title and i.domain == "soins" for i in forms)
    o, d = found[order.document.number], found[dotation.document.number]
    assert (o.item_kind, o.domain, o.unit) == ("supplier_order", "pharmacie", "")
    assert (d.item_kind, d.domain, d.unit) == ("dotation", "pharmacie", stock_unit)
    pharmacist = _user(("pharmacie",))
    assert {i.number for i in found.values() if worklist.may_see(pharmacist, i)} == {
        o.number, d.number}
    ward_pharmacist = _user(("pharmacie",), (stock_unit,))
    assert [i.number for i in found.values() if worklist.may_see(ward_pharmacist, i)] == [
        d.number]


def test_an_outage_start_is_corrected_and_audited(station):
    now = dt.datetime.now(dt.UTC)
    first = outage.declare_start(station, "chef", now - dt.timedelta(days=5))
    outage.declare_end(station, "chef", now - dt.timedelta(days=4))
    outage.declare_start(station, "chef", now - dt.timedelta(hours=2))
    moved = outage.amend_start(station, "chef", now - dt.timedelta(days=1), now=now)
    assert moved.start == now - dt.timedelta(days=1) and moved.end is None
    (entry,), _ = station.audit.search(action="outage.amended")
    assert entry.details_dict["from"] == (now - dt.timedelta(hours=2)).isoformat()
    with pytest.raises(OutageError, match=r"chevaucherait celle du .* déjà close"):
        outage.amend_start(station, "chef", first.start, now=now)
    with pytest.raises(OutageError, match="dans le futur"):
        outage.amend_start(station, "chef", now + dt.timedelta(hours=1), now=now)
    outage.declare_end(station, "chef", now)
    with pytest.raises(OutageError, match="doit précéder la fin"):
        outage.amend_start(station, "chef", now, now=now)


def test_station_documents_have_nothing_to_reenter(station):
    """The « procédure synthétique » is about the station: never « à ressaisir »."""
    from pcsauvegarde.station.procedure import issue_procedure

    now = dt.datetime.now(dt.UTC)
    outage.declare_start(station, "chef", now - dt.timedelta(hours=1), "Panne DPI")
    sheet = issue_procedure(station, "admin")
    window = outage.declare_end(station, "chef")
    assert station.journal.get(sheet.document.number)["kind"] == "procedure"
    assert sheet.document.number not in {i.number for i in worklist.items(station, window)}
