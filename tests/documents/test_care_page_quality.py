"""MAR, care plan, prescriptions and bundle cover pass the page-quality checks (issue 10),
with a long identifier, a long name, allergies and every kind of order."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.core.records import ImagingExam, MedicationAdministration, Timing
from pcsauvegarde.station.documents import administration_plan, care_plan, prescriptions
from tests.support.orders import INSULINE, NORADRENALINE, RANGE, SYNTHEA, order
from tests.support.page_quality import problems
from tests.support.sample import DOC_NUMBER, make_long_patient_file

pytestmark = pytest.mark.slow
UTC = dt.UTC


def busy_file():
    """The 64-character patient with continuous, protocol, verbatim and PRN orders, traces."""
    file = make_long_patient_file()
    ipp = file.patient.id
    tramadol = order("tram", "Tramadol 50 mg, gélule",
                     Timing("as_needed", max_per_day=4, min_interval_hours=6), "50", "mg",
                     "Voie orale")
    orders = tuple(dataclasses.replace(o, ipp=ipp) for o in (
        *file.orders, NORADRENALINE, INSULINE, SYNTHEA, RANGE, tramadol))
    given = tuple(MedicationAdministration(f"t{i}", ipp, "tram", at, "50 mg",
                                           "Marie-Claire Dupont-Aignan (IDE)")
                  for i, at in enumerate((dt.datetime(2026, 11, 26, 14, 21, tzinfo=UTC),
                                          dt.datetime(2026, 11, 26, 17, 29, tzinfo=UTC))))
    exams = (ImagingExam("ct", ipp, "CT", "Scanner thoracique injecté",
                         dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC), "Scanner 1"),)
    return dataclasses.replace(file, orders=orders, administrations=given,
                               imaging_exams=exams)


@pytest.mark.parametrize("module", [administration_plan, care_plan, prescriptions],
                         ids=lambda m: m.KIND)
def test_care_documents_pass_page_quality(module, ctx) -> None:
    file = busy_file()
    pdf = module.render(file, ctx)
    found = problems(pdf, allergies=True, barcodes={file.patient.id, DOC_NUMBER})
    assert found == [], "\n".join(found)


def test_bundle_cover_passes_page_quality(ctx) -> None:
    from pcsauvegarde.station.documents import bundle

    file = make_long_patient_file()
    who = f"{file.patient.birth_name.upper()} {file.patient.first_names} (IPP {file.patient.id})"
    entries = [bundle.BundleEntry("", "", "Liste des patients du service", "N-0", 2)]
    for i in range(30):
        entries += [bundle.BundleEntry(f"{4300 + i} / P", who, title, f"{DOC_NUMBER}-{i}{k}", 3)
                    for k, title in enumerate(("Plan d'administration", "Plan de soins",
                                               "Prescriptions en cours"))]
    pdf = bundle.render_cover(bundle.BundleCover("CHD", "Chirurgie digestive", 30,
                                                 tuple(entries)), ctx)
    found = problems(pdf, allergies=False, barcodes={DOC_NUMBER})
    assert found == [], "\n".join(found)
