"""Attack run (issue 11, packages 9): NUL, U+202E and ESC in names never reach paper."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from pcsauvegarde.core.text import clean_data, clean_text
from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7
from pcsauvegarde.publisher.sources import import_sources
from tests.support.fhir import ndjson_file, patient_resource
from tests.support.hl7 import PID, message, visit, write_messages

HOSTILE = "\x00\u202e\x1b[31m"
DATA = Path(__file__).with_name("data")


def test_the_rule_keeps_text_and_line_breaks():
    assert clean_text("DU\x00PONT\u202eTNEGRA\x1b[2J") == ("DUPONTTNEGRA[2J", True)
    assert clean_text("Léa\tMarie\nligne 2") == ("Léa\tMarie\nligne 2", False)
    assert clean_text("a\u2066b\u2069c\u200fd\x85e\r") == ("abcde", True)
    assert clean_data({"a": ["x\x00", {"b": "y\x1b"}], "n": 3}) == (
        {"a": ["x", {"b": "y"}], "n": 3}, 2)


def test_fhir_names_are_cleaned_and_counted(tmp_path):
    p = patient_resource(name=[{"use": "official", "family": f"Lef{HOSTILE}èvre",
                        "given": [f"Hé{HOSTILE}lène"]}])
    result = import_fhir([ndjson_file(tmp_path / "p.ndjson", p)])
    [patient] = result.of_type("patient")
    assert patient.birth_name == "Lef[31mèvre" and "\x00" not in patient.first_names
    assert result.cleaned["patient"] == 2 and not result.rejections


def test_hl7_names_are_cleaned_and_counted(tmp_path):
    pid = PID.replace("LÉGER", f"LÉ{HOSTILE}GER")
    path = write_messages(tmp_path, "adt.hl7",
                          message("ADT^A01^ADT_A01", "1", "EVN|A01|202611250830",
                                  pid, visit()))
    result = import_hl7([path])
    [patient] = result.of_type("patient")
    assert not any(c in patient.birth_name for c in "\x00\u202e\x1b")
    assert result.cleaned["patient"] >= 1


def test_csv_labels_are_cleaned_and_counted(tmp_path):
    text = (DATA / "produits.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "produits.csv").write_text(text.replace("Paracétamol", f"Para{HOSTILE}cétamol"),
                                           encoding="utf-8")
    result = import_catalogues([tmp_path / "produits.csv"])
    labels = [p.label for p in result.of_type("product")]
    assert "Para[31mcétamol 1 g comprimé" in labels
    assert result.cleaned["product"] == 1


def test_publish_report_says_how_many_fields_were_cleaned(tmp_path):
    p = patient_resource(name=[{"use": "official", "family": f"X{HOSTILE}", "given": ["Y"]}])
    shutil.copy(DATA / "produits.csv", tmp_path / "produits.csv")
    cleaned = Counter()
    import_sources([ndjson_file(tmp_path / "p.ndjson", p), tmp_path / "produits.csv"],
                   cleaned=cleaned)
    assert cleaned == {"patient": 1}

    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main
    from pcsauvegarde.demo import station as demostation
    paths, _, _ = demostation.setup(tmp_path / "w")
    config = paths.publisher_config
    r = CliRunner().invoke(main, ["publish", "--config", str(config), str(tmp_path / "p.ndjson")])
    assert "1 champ(s) débarrassé(s) de caractères de contrôle" in r.output, r.output
    assert "patient : 1" in r.output
