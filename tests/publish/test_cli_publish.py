"""`pcsauvegarde publish --kind`: HL7 v2 and CSV inputs, full then nothing-changed delta."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.publisher import write_publisher_config
from tests.support.hl7 import PID, message, visit
from tests.support.hospital import publisher

DATA = Path(__file__).parent / "data"


def test_publish_hl7_and_csv_full_then_delta(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    adt = tmp_path / "adt.hl7"
    adt.write_text(message("ADT^A01", "1", PID, visit(admit="202611250830")), encoding="utf-8")
    args = ["publish", "--config", str(toml), str(adt), str(DATA / "produits.csv"),
            str(DATA / "unites.csv")]
    r = CliRunner().invoke(main, [*args[:3], "--kind", "full", *args[3:]])
    assert r.exit_code == 0, r.output
    assert "refusé : produits.csv, ligne 4, colonne « code »" in r.output
    published = sorted(line.rsplit("/", 1)[1] for line in r.output.splitlines()
                       if line.startswith("publié"))
    assert published == ["urg-1.directory.full.0000000001.age", "urg-1.dpi.full.0000000001.age",
                         "urg-1.pharmacy.full.0000000001.age"]
    r = CliRunner().invoke(main, [*args[:3], "--kind", "delta", *args[3:]])
    assert r.exit_code == 0 and "publié" not in r.output  # nothing changed
