"""The MAR for every kind of order: continuous, protocol, verbatim « à vérifier », discharged."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.core.records import Timing
from pcsauvegarde.station.documents import administration_plan, orders
from pcsauvegarde.station.documents.fmt import format_timing
from pcsauvegarde.station.documents.schedule import order_slots
from tests.support.orders import INSULINE, NORADRENALINE, RANGE, SYNTHEA, UTC, order
from tests.support.pdfcheck import font_sizes, page_texts
from tests.support.sample import IPP


@pytest.mark.parametrize(("o", "mode"), [
    (NORADRENALINE, orders.CONTINUOUS),
    (order("pca", "Morphine PCA", Timing("text", text="PCA : bolus 1 mg, période 7 min")),
     orders.CONTINUOUS),
    (order("kcl", "KCl", Timing("every_hours", every_hours=1,
                                text="KCl 20 mEq in 1 L 0.9%NS IV at 100 ml/hr")),
     orders.CONTINUOUS),
    (INSULINE, orders.PROTOCOL),
    (order("k", "KCl", Timing("text", text="Selon kaliémie du matin : 2 g si K < 3,5")),
     orders.PROTOCOL),
    (SYNTHEA, orders.VERBATIM),
    (RANGE, orders.VERBATIM),
    (order("w", "Crème", Timing("text", text="deux fois par semaine")), orders.VERBATIM),
    (order("ok", "Furosémide", Timing("fixed_times", times=("08:00",)), "40"), orders.SCHEDULED),
    (order("p", "Paracétamol", Timing("as_needed", max_per_day=4, min_interval_hours=6,
                                      text="Si douleur, 4 fois par 24 h au maximum"), "1000"),
     orders.PRN),
])
def test_each_order_is_read_once_for_paper(o, mode) -> None:
    assert orders.read_order(o).mode == mode


def test_verbatim_reasons_are_named() -> None:
    assert orders.read_order(SYNTHEA).checks == ("intervalle variable", "dose sans unité")
    assert set(orders.read_order(RANGE).checks) == {
        "intervalle variable", "dose variable", "condition « si besoin » sur une prise programmée"}
    assert orders.monitoring_hours(INSULINE) == 4
    assert orders.read_order(INSULINE).monitored == "Glycémie"


@pytest.fixture(scope="module")
def kinds(patient_file, ctx) -> list[str]:
    file = dataclasses.replace(patient_file, orders=(NORADRENALINE, INSULINE, SYNTHEA, RANGE))
    return page_texts(administration_plan.render(file, ctx))


def test_continuous_order_gets_a_rate_block_per_period(kinds) -> None:
    text = " ".join("\n".join(kinds).split())
    assert "Perfusions continues" in text and "CONTINU — débit adapté" in text
    assert "« IVSE, débit adapté pour PAM > 65 mmHg »" in text
    section = text[text.index("Perfusions continues"):text.index("Traitements selon protocole")]
    # Printed 27/11 14:17: one block per 12 h to the end of the plan, each headed by its
    # period; the lone last 6 h joins the one before (too narrow to write in alone).
    for period in ("27/11 12–24 h", "sam. 28/11 0–12 h", "sam. 28/11 12–24 h",
                   "dim. 29/11 0–18 h"):
        assert period in section, period
    assert section.count("débit") >= 5 and section.count("visa") >= 4


def test_protocol_order_gets_a_monitoring_block(kinds) -> None:
    text = " ".join("\n".join(kinds).split())
    section = text[text.index("Traitements selon protocole"):]
    assert "PROTOCOLE — dose selon contrôle" in section
    assert "Glycémie toutes les 4 h" in section
    assert section.count("val.") >= 3 and section.count("dose") >= 3


def test_order_the_schedule_cannot_express_is_printed_verbatim_to_check(kinds) -> None:
    text = " ".join("\n".join(kinds).split())
    assert "À VÉRIFIER — texte du prescripteur" in text
    assert "« Take 1 tablet every four to six hours »" in text
    assert "intervalle variable, dose sans unité" in text
    # never rounded into a fixed schedule: no « 4 fois par jour », no standard hours
    assert format_timing(SYNTHEA.timing) not in text
    section = text[text.index("Oxycodone"):text.index("Perfusions continues")]
    assert "06:00" not in section and "22:00" not in section


def test_no_plan_for_a_discharged_patient(patient_file, ctx) -> None:
    left = dataclasses.replace(patient_file.stay, discharge=dt.datetime(2026, 11, 20, 9, 30,
                                                                       tzinfo=UTC))
    texts = page_texts(administration_plan.render(
        dataclasses.replace(patient_file, stay=left), ctx))
    text = "\n".join(texts)
    assert len(texts) == 1
    assert "PATIENT SORTI LE 20/11/2026 10:30 — pas de plan d'administration" in text
    assert "Furosémide" not in text and "20:00" not in text


def test_periods_run_whole_to_the_end_and_boxes_follow_the_extract(patient_file, ctx) -> None:
    # Printed 27/11 14:17 Paris, extract 14:05: the last period is 29/11 12–18 h, whole.
    at16 = order("x16", "Médicament de 16 h", Timing("fixed_times", times=("16:00", "14:10")))
    file = dataclasses.replace(patient_file, orders=(at16,))
    text = "\n".join(page_texts(administration_plan.render(file, ctx)))
    slots = order_slots(at16, dt.datetime(2026, 11, 26, 11, 0, tzinfo=UTC),
                        dt.datetime(2026, 11, 29, 17, 0, tzinfo=UTC))
    assert slots[-1] == dt.datetime(2026, 11, 29, 15, 0, tzinfo=UTC)    # 29/11 16:00 Paris
    row = text[text.index("Médicament de 16 h"):]
    # the description, then 26/11 (record: « ? »), 27, 28 and 29/11 16:00
    assert row.count("16:00") == 5 and row.count("? 16:00") == 1
    # 27/11 14:10 is after the 14:05 extract: a box to initial, not « non tracé »
    assert row.count("? 14:10") == 1 and row.count("14:10") == 5


def test_prescriptions_keep_the_prescriber_words(patient_file, ctx) -> None:
    from pcsauvegarde.station.documents import prescriptions

    file = dataclasses.replace(patient_file, orders=(NORADRENALINE, INSULINE, SYNTHEA))
    text = " ".join("\n".join(page_texts(prescriptions.render(file, ctx))).split())
    assert "À VÉRIFIER : « Take 1 tablet every four to six hours »" in text
    assert "4 fois par jour" not in text and "06:00, 12:00" not in text
    assert "CONTINU : « IVSE, débit adapté" in text and "PROTOCOLE : « Selon protocole" in text


def test_prn_dose_within_its_interval_is_flagged_and_nothing_under_7_pt(patient_file, ctx):
    from pcsauvegarde.core.records import MedicationAdministration

    tramadol = order("tram", "Tramadol 50 mg, gélule",
                     Timing("as_needed", max_per_day=4, min_interval_hours=6), "50", "mg", "PO")
    given = tuple(MedicationAdministration(f"t{i}", IPP, "tram", at, "50 mg",
                                           "Kevin Marchand (IDE)")
                  for i, at in enumerate((dt.datetime(2026, 11, 26, 14, 21, tzinfo=UTC),
                                          dt.datetime(2026, 11, 26, 17, 29, tzinfo=UTC),
                                          dt.datetime(2026, 11, 27, 9, 40, tzinfo=UTC))))
    file = dataclasses.replace(patient_file, orders=(tramadol, SYNTHEA), administrations=given)
    pdf = administration_plan.render(file, ctx)
    text = " ".join("\n".join(page_texts(pdf)).split())
    assert "⚠ Prise de 18:29 à moins de 6 h de celle de 15:21" in text
    assert text.count("⚠ moins de 6 h après 15:21") == 1
    assert "après 18:29" not in text           # 10:40 the next day: 16 h later, fine
    assert "KM Kevin Marchand" in text and "50 mg · KM" in text
    assert min(font_sizes(pdf)) >= 7
