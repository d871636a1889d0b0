"""Every lab document passes the page-quality check with a 36-character IPP, a long name and
allergies: nothing under 7 pt, nothing out of its box, allergies on patient pages, barcodes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station.documents import lab_labels, lab_register, lab_request, lab_results
from pcsauvegarde.station.documents.lab_labels import LabLabelSet
from pcsauvegarde.station.documents.lab_register import RegisterDay, RegisterLine
from pcsauvegarde.station.documents.lab_request import LabRequestForm
from tests.support.lab import LONG_ID, labels
from tests.support.page_quality import assert_page_quality


@pytest.fixture(scope="module")
def long_file(patient_file):
    p = dataclasses.replace(patient_file.patient, id=LONG_ID,
                            birth_name="De La Cruz-Villeneuve-Saint-Georges-Montmorency",
                            first_names="Marie-Charlotte Bénédicte Alexandrine Philippine")
    return dataclasses.replace(patient_file, patient=p)


@pytest.mark.parametrize("fmt", ["a4", "thermal"])
def test_lab_labels(ctx, long_file, fmt):
    data = LabLabelSet(labels(3, 2), long_file, urgent=True, format=fmt)
    assert_page_quality(lab_labels.render(data, ctx), allergies=False,
                        barcodes={label.code for label in data.labels})


def test_blank_lab_labels(ctx):
    data = LabLabelSet(labels(10, 4))
    assert_page_quality(lab_labels.render(data, ctx), allergies=False,
                        barcodes={label.code for label in data.labels})


def test_request_form(ctx, long_file):
    data = LabLabelSet(labels(1, 4), long_file, urgent=True)
    pdf = lab_request.render(LabRequestForm(long_file, data.labels[0].number, data), ctx)
    assert_page_quality(pdf, allergies=True, allergy_pages=[0],
                        barcodes={data.labels[0].number, data.labels[3].code})


def test_results_entry_and_cumulative(ctx, long_file):
    entry = lab_results.ResultsEntry("95000014", 4, "27/11/2026 14:05 par labo", long_file)
    assert_page_quality(lab_results.render_entry(entry, ctx), allergies=True,
                        barcodes={"95000014"})
    blank = lab_results.ResultsEntry("95000014", 4, "27/11/2026 14:05 par labo")
    assert_page_quality(lab_results.render_entry(blank, ctx), allergies=False)
    assert_page_quality(lab_results.render_cumulative(long_file, ctx), allergies=True)


def test_day_register(ctx):
    t = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)
    lines = tuple(RegisterLine(t + dt.timedelta(minutes=7 * i), f"9500{i:04d}4", 1 + i // 10,
                               "Lot pré-numéroté", 4,
                               f"{LONG_ID} — DE LA CRUZ-VILLENEUVE Marie-Charlotte, 03/02/1948",
                               "0f8fad5b-d9cb-469f-a165-70867728950e", "labo",
                               "STATION-DEMO-0000012", "Imprimé") for i in range(30))
    day = RegisterDay(dt.date(2026, 11, 27), "station-demo", "9500001–9599999", 99969, lines,
                      ("9500010 à 9500019",))
    assert_page_quality(lab_register.render(day, ctx), allergies=False)
