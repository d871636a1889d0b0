"""A third-party FHIR R4 export in Synthea's shapes (tests/publish/data/synthea_like).

Bulk NDJSON of one patient in a current stay; a transaction Bundle of patients discharged
years ago. Conditional references, US codings (SNOMED, LOINC, RxNorm, CVX), text-only dosages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from pcsauvegarde.publisher.publisher import write_publisher_config
from tests.publish.hospital import publisher

DATA = Path(__file__).parent / "data" / "synthea_like"
PATIENT = "3f1b0a0e-8c5e-4f7e-9b8a-2d6c1e4a7b90"


@pytest.fixture(scope="module")
def bulk():
    return import_fhir(sorted((DATA / "bulk").iterdir()))


def test_bulk_export_imports_without_refusal(bulk):
    assert [r.message() for r in bulk.rejections] == []
    (patient,) = bulk.of_type("patient")
    assert patient.id == PATIENT  # MR-typed identifier: a 36-character UUID
    (stay,) = bulk.of_type("stay")
    assert stay.ipp == PATIENT and stay.discharge is None
    assert stay.unit == "b6d3f1a2-7c4e-3a9b-8d2f-5e1c0a4b9d7e"  # Organization?identifier=…
    assert stay.attending == "Dr. Reyes Gleichner"


def test_every_left_out_resource_is_counted_with_its_reason(bulk):
    ignored = bulk.ignored
    by_type = {}
    for key, n in ignored.items():
        rtype, _, reason = key.partition(" : ")
        by_type.setdefault(rtype, {})[reason] = n
    for rtype in ("Procedure", "Immunization", "DocumentReference", "Device"):
        (reason,) = by_type[rtype]
        assert "non pris en charge" not in reason and reason  # a reason of its own
    assert sum(by_type["Procedure"].values()) == 2
    observations = by_type["Observation"]
    assert observations["signes vitaux (constantes) : seuls les résultats de laboratoire sont "
                        "importés"] == 4
    assert observations["questionnaire ou score (survey) : seuls les résultats de laboratoire "
                        "sont importés"] == 2
    assert not any("hors périmètre (statut final)" in key for key in ignored)
    # every resource of the export is either imported, refused or counted as ignored
    lines = sum(len(p.read_text().splitlines()) for p in (DATA / "bulk").iterdir())
    support = sum(len((DATA / "bulk" / f"{t}.ndjson").read_text().splitlines())
                  for t in ("Organization", "Location", "Practitioner"))
    sources = {r.id.split("~")[0] for r in bulk.records if r.TYPE != "unit"}
    assert len(sources) + sum(ignored.values()) + support == lines


def test_publish_prints_what_it_ignored(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), "--kind", "full",
                                  str(DATA / "bulk")])
    assert r.exit_code == 0, r.output
    assert "ressource(s) FHIR ignorée(s)" in r.output
    assert "  Procedure (2) : acte réalisé" in r.output
    assert "  Device (1) : dispositif médical" in r.output
    assert "  Observation (4) : signes vitaux (constantes)" in r.output
