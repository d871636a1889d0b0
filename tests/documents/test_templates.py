"""Template files: the shipped one loads, broken ones are refused naming file and key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pcsauvegarde.station.documents import patient_summary
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError, load_template

SCHEMA = {"document.title": (), "labs.window": ("hours", "since")}


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "essai.toml").write_text(text, encoding="utf-8")
    return tmp_path / "essai.toml"


def test_shipped_summary_template_is_complete() -> None:
    t = load_template("summary", patient_summary.SCHEMA)
    assert t.path == DEFAULT_DIR / "summary.toml"
    assert t.text("allergies.title") == "Allergies"


def test_placeholders_are_filled(tmp_path: Path) -> None:
    write(tmp_path, '[document]\ntitle = "Synthèse {{ok}}"\n'
                    '[labs]\nwindow = "{hours} h depuis le {since}"\n')
    t = load_template("essai", SCHEMA, tmp_path)
    assert t.text("document.title") == "Synthèse {ok}"
    assert t.text("labs.window", hours=72, since="24/11") == "72 h depuis le 24/11"


@pytest.mark.parametrize(("body", "key", "words"), [
    ('[document]\ntitle = "T"\n', "labs.window", "absente"),
    ('[document]\ntitle = "T"\ntitre = "x"\n[labs]\nwindow = "w"\n', "document.titre",
     "inconnue"),
    ('[document]\ntitle = 3\n[labs]\nwindow = "w"\n', "document.title", "texte"),
    ('[document]\ntitle = "T"\n[labs]\nwindow = "depuis {depuis}"\n', "labs.window",
     "{depuis}"),
    ('[document]\ntitle = "T {"\n[labs]\nwindow = "w"\n', "document.title", "accolades"),
])
def test_broken_template_names_file_and_key(tmp_path: Path, body: str, key: str,
                                            words: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TemplateError) as err:
        load_template("essai", SCHEMA, tmp_path)
    message = str(err.value)
    assert str(path) in message and f"« {key} »" in message and words in message


def test_invalid_toml_and_missing_file_name_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[document\ntitle = "T"\n')
    with pytest.raises(TemplateError, match="syntaxe TOML invalide") as err:
        load_template("essai", SCHEMA, tmp_path)
    assert str(path) in str(err.value)
    with pytest.raises(TemplateError, match="introuvable") as err:
        load_template("absent", SCHEMA, tmp_path)
    assert str(tmp_path / "absent.toml") in str(err.value)


def test_summary_refuses_a_broken_template_dir(tmp_path, patient_file, ctx) -> None:
    text = (DEFAULT_DIR / "summary.toml").read_text(encoding="utf-8")
    (tmp_path / "summary.toml").write_text(text.replace('title = "Allergies"\n', ""),
                                           encoding="utf-8")
    with pytest.raises(TemplateError, match=r"« allergies\.title » absente"):
        patient_summary.render(patient_file, replace(ctx, templates_dir=tmp_path))
