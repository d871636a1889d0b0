"""The papers of the discharge / transfer pack: routes abbreviated with their legend, doses
spaced, nothing broken inside a word."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pcsauvegarde.core.records import MedicationAdministration
from pcsauvegarde.station.documents import (
    administration_history,
    administration_plan,
    discharge_prescription,
    patient_summary,
    preop,
    prescriptions,
)
from pcsauvegarde.station.documents.orders import ROUTE_LEGEND
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import PRINTED, UUID_IPP, make_ctx, make_long_patient_file

ROUTES = ("Voie intraveineuse", "voie sous-cutanée", "Voie orale", "intramusculaire")


def _file():
    file = make_long_patient_file(UUID_IPP)
    orders = tuple(dataclasses.replace(o, route=ROUTES[k % len(ROUTES)], dose="1g", unit="")
                   if k < 4 else o for k, o in enumerate(file.orders))
    given = tuple(MedicationAdministration(f"a{k}", UUID_IPP, o.id, PRINTED - (k + 1) * (
        PRINTED - PRINTED.replace(hour=PRINTED.hour - 1)), dose_given="1g", by="IDE")
        for k, o in enumerate(orders[:4]))
    return dataclasses.replace(file, orders=orders, administrations=given)


@pytest.mark.parametrize("module", [discharge_prescription, administration_history,
                                    patient_summary])
def test_pack_papers_abbreviate_routes_and_space_doses(module, tmp_path):
    pdf = module.render(_file(), make_ctx())
    assert_page_quality(pdf, allergies=True)
    text = " ".join(page_texts(pdf))
    flat = re.sub(r"\s+", " ", text)
    assert ROUTE_LEGEND in flat
    assert not re.search(r"intra-?vei?-?\s", text) and "intraveineuse" not in flat.replace(
        ROUTE_LEGEND, "")
    assert re.search(r"\bIV\b", flat.replace(ROUTE_LEGEND, "")), module.KIND
    assert "1 g" in flat and not re.search(r"\b1g\b", flat)
    (tmp_path / f"{module.KIND}.pdf").write_bytes(pdf)


def test_preop_lab_header_is_never_broken():
    text = " ".join(page_texts(preop.render(make_long_patient_file(UUID_IPP), make_ctx())))
    assert "Anomali-" not in text and "Anomali\ne" not in text


@pytest.mark.parametrize("module", [administration_plan, prescriptions])
def test_care_papers_space_doses_too(module):
    flat = re.sub(r"\s+", " ", " ".join(page_texts(module.render(_file(), make_ctx()))))
    assert "1 g" in flat and not re.search(r"\b1g\b", flat)
