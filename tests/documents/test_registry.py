"""One registry entry per document kind: what the station issues, bundles and checks."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents import KINDS, DocumentKind, check_templates, document_kind
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from pcsauvegarde.station.documents.procedure import ProcedureSheet
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from pcsauvegarde.station.issuing.bundling import BUNDLE_KINDS
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    catalogue_of,
    directory,
    sample_order_form,
    sample_request_form,
    sample_ward_stock,
    staff,
)


def test_every_kind_is_complete() -> None:
    assert set(KINDS) == {"summary", "administration_plan", "prescriptions", "care_plan",
                          "labels", "wristband", "admission", "census", "lab_labels",
                          "lab_request", "lab_register", "lab_results_entry",
                          "lab_results_cumulative", "tray_list", "tray_labels", "washer_load",
                          "autoclave_load", "tray_reception", "tray_delivery", "or_traceability",
                          "dotation", "supplier_order", "form", "imaging_schedule",
                          "imaging_report", "consultation_calls", "unit_request", "inventory",
                          "inventory_pui", "unit_prescriptions", "directory", "or_schedule",
                          "preop", "administration_history", "discharge_prescription", "procedure"}
    for name, kind in KINDS.items():
        assert isinstance(kind, DocumentKind) and kind.name == name and kind.title
        assert kind.scope in ("patient", "unit", "lab", "sterilisation", "supplier", "imaging",
                              "pharmacy", "theatre", "station")
        for template in kind.templates:
            assert (DEFAULT_DIR / template).exists(), (name, template)
        kind.load(None)


def _or_schedule(file):
    import datetime as dt

    from pcsauvegarde.core.records import SurgeryCase
    from pcsauvegarde.station.theatre.model import OrLine, OrSchedule, RoomDay
    case = SurgeryCase("c1", file.patient.id, "Salle 1",
                       dt.datetime(2026, 11, 27, 7, 30, tzinfo=dt.UTC), "Appendicectomie")
    return OrSchedule(dt.date(2026, 11, 27), (RoomDay("Salle 1", (OrLine(case, file),)),))


def test_bundles_hold_only_kinds_that_can_share_a_pdf() -> None:
    assert all(KINDS[k].draw is not None for k in BUNDLE_KINDS)
    assert KINDS["labels"].draw is None       # label stock: its own pages, its own job


def test_lookup_by_scope() -> None:
    assert document_kind("census", "unit") is KINDS["census"]
    assert document_kind("census", "patient") is None
    assert document_kind("summary") is KINDS["summary"]
    assert document_kind("bordereau") is None


# Sterilisation kinds take their own data: rendered in tests/sterilisation/test_page_quality.py.
@pytest.mark.parametrize("name", sorted(k for k, v in KINDS.items() if v.scope != "sterilisation"))
def test_every_kind_renders_from_its_entry(name, patient_file, ctx) -> None:
    kind = KINDS[name]
    if kind.scope == "lab":
        data, expected = _lab_data(name, patient_file), "LEFÈVRE-DUBOIS"
    elif name == "dotation":   # a unit document without patients: the PUI's ward stock list
        data, expected = sample_ward_stock(), "Doliprane 1000 mg"
    elif name == "supplier_order":
        data, expected = sample_order_form(), "Laboratoires Dupré"
    elif name in SCHEDULES:   # imaging and consultation schedules: their own dataclasses
        data, expected = SCHEDULES[name](), "LEFÈVRE-DUBOIS"
    elif name in _PHARMACY:
        data, expected = _pharmacy_data(name, patient_file)
    elif kind.scope == "theatre":   # the OR list: every room's cases, one patient here
        data, expected = _or_schedule(patient_file), "LEFÈVRE-DUBOIS"
    elif name == "procedure":  # about the station itself: no patient (tests/documents)
        data = ProcedureSheet("rea-1", "http://127.0.0.1:8080", "imprimante « SOINS »",
                              (("REA", "Réanimation", "4410"),), ("Informatique : 4455",), 120)
        expected = "Informatique : 4455"
    else:
        data = (patient_file if kind.scope == "patient"
                else UnitFile("CARD", "Cardiologie", (CensusRow(patient_file.patient,
                                                                patient_file.stay),)))
        expected = "LEFÈVRE-DUBOIS"
    options = {"form": "surveillance-24h"} if name == "form" else {}   # which form: an option
    text = " ".join(page_texts(kind.render(data, ctx, **options)))
    assert expected in text and "MODE DÉGRADÉ" in text


def test_check_templates_loads_every_entry(tmp_path) -> None:
    for path in DEFAULT_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    check_templates(tmp_path)
    census = tmp_path / "census.toml"
    census.write_text(census.read_text(encoding="utf-8").replace("[document]", "[documnt]"),
                      encoding="utf-8")
    with pytest.raises(TemplateError, match=r"census\.toml"):
        check_templates(tmp_path)
    census.unlink()   # the packaged census.toml is used again
    check_templates(tmp_path)
    (tmp_path / "sumary.toml").write_text("", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"sumary\.toml : modèle inconnu"):
        check_templates(tmp_path)


def _schedules():
    from pcsauvegarde.station.consultations import calls
    from pcsauvegarde.station.imaging import schedule
    from pcsauvegarde.station.imaging.model import ExamReport
    from tests.support.schedules import DAY, appointments, exams, plain_patient

    who = {plain_patient().patient.id: plain_patient()}
    return {"imaging_schedule": lambda: schedule.build(exams(), who, DAY, "CT", "Scanner 1", {}),
            "imaging_report": lambda: ExamReport(exams()[1], plain_patient()),
            "consultation_calls": lambda: calls.build(
                [a for a in appointments() if a.ipp in who], who, "CARDIO-CS", DAY)}


SCHEDULES = _schedules()


_PHARMACY = ("unit_request", "inventory", "inventory_pui", "unit_prescriptions", "directory")


def _pharmacy_data(name: str, file):
    """Sample data of each PUI kind and a text its page MUST show."""
    from pcsauvegarde.station.pharmacy import directory as book
    from pcsauvegarde.station.pharmacy import inventory
    from pcsauvegarde.station.pharmacy.model import UnitPrescriptions

    stock, products, suppliers = catalogue_of()
    return {
        "unit_request": lambda: (sample_request_form(), "Paracétamol 500 mg"),
        "inventory": lambda: (inventory.unit_sheets("CHD", "Cardiologie", stock, products,
                                                    suppliers, {"CHD"}), "Doliprane 1000 mg"),
        "inventory_pui": lambda: (inventory.pui_sheets(list(products.values()), suppliers),
                                  "Paracétamol 500 mg"),
        "unit_prescriptions": lambda: (UnitPrescriptions("CARD", "Cardiologie", (file,)),
                                       "LEFÈVRE-DUBOIS"),
        "directory": lambda: (book.build(list(suppliers.values()), directory(), staff()),
                              "Dr Étienne Cœur"),
    }[name]()


def _lab_data(name: str, file):
    """Sample data of each lab kind (its own dataclass), for the patient of the samples."""
    import datetime as dt

    from pcsauvegarde.station.documents import lab_register, lab_request, lab_results
    from pcsauvegarde.station.documents.lab_labels import LabLabel, LabLabelSet

    labels = LabLabelSet((LabLabel("9500001401", "95000014", 1, 1),), file)
    at = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)
    return {"lab_labels": labels,
            "lab_request": lab_request.LabRequestForm(file, "95000014", labels),
            "lab_register": lab_register.RegisterDay(
                at.date(), "poste", "9500001–9599999", 10, (lab_register.RegisterLine(
                    at, "95000014", 1, "Patient", 1, "00123456 — LEFÈVRE-DUBOIS Hélène",
                    "CARD", "labo", "X-1", "Imprimé"),)),
            "lab_results_entry": lab_results.ResultsEntry("95000014", 1, "27/11/2026", file),
            "lab_results_cumulative": file}[name]
