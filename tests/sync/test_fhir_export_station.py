"""A Synthea-shaped FHIR export, imported, packaged and pulled: what the station shows and prints.

Data: tests/publish/data/synthea_like/bulk (one patient in a current stay, US codings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station.documents import care_plan
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.store import queries
from pcsauvegarde.station.sync.pull import pull_all
from tests.documents.helpers import page_texts
from tests.documents.sample import make_ctx
from tests.sync.test_not_kept import _publish, _records

PATIENT = "3f1b0a0e-8c5e-4f7e-9b8a-2d6c1e4a7b90"


@pytest.fixture
def exported(unpulled, drop, keys, make_package):
    """The empty station after pulling the bulk export."""
    for p in drop.iterdir():
        p.unlink()
    _publish(make_package, drop, _records("bulk"))
    station = open_station(unpulled)
    (run,) = pull_all(unpulled, station.store, keys)
    assert run.accepted == 3 and not run.not_kept
    return station


def test_active_care_plan_prints_on_the_plan_de_soins(exported):
    file = queries.patient_file(exported.store, PATIENT)
    labels = sorted(t.label for t in file.care_tasks)
    assert labels == ["Capillary blood glucose monitoring", "Diabetic diet", "Diet education",
                      "Exercise therapy", "Wound dressing change"]
    ctx = make_ctx(printed_at=dt.datetime.now(dt.UTC).replace(microsecond=0))
    text = " ".join("\n".join(page_texts(care_plan.render(file, ctx))).split())
    assert "Aucun soin programmé" not in text
    for label in labels:
        assert label in text
    assert "Plan : Diabetes self management plan" in text
    assert "sans horaire prévu" in text and "toutes les 8 h" in text and "10:00" in text
    # the completed activity and the completed plan are not printed
    assert "Food allergy diet" not in text and "Recommendation to avoid" not in text
    empty = dataclasses.replace(file, care_tasks=())
    assert "Aucun soin programmé" in "\n".join(page_texts(care_plan.render(empty, ctx)))
