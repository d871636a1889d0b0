"""The identity line: built once (identity.py), worded in printtemplates/identity.toml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from pcsauvegarde.station.documents import (
    census,
    check_templates,
    identity,
    labels,
    patient_summary,
    wristband,
)
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from tests.support.pdfcheck import page_texts

TODAY = dt.date(2026, 11, 27)


def test_identity_lines_follow_identity_monitoring_practice(patient_file) -> None:
    who = identity.identity_lines(identity.load(), patient_file.patient, patient_file.stay,
                                  unit_name="Cardiologie", today=TODAY)
    assert who.names == "LEFÈVRE-DUBOIS  Hélène Marie-Noëlle"   # birth name in capitals
    assert who.used == "Nom d'usage : MARTIN"
    assert (who.birth, who.age, who.sex) == ("Née le 03/02/1948", "(78 ans)", "Sexe : féminin")
    assert (who.ipp, who.nda) == ("IPP : 00123456", "NDA : 2026000789")
    assert who.ins == "INS : 2 48 02 75 123 456 78 (qualifiée)"
    assert who.where == "Cardiologie · ch. 12 · lit B"
    assert who.deceased == "" and who.provisional == ""


@pytest.mark.parametrize(("changes", "field", "expected"), [
    ({"used_name": "lefèvre-dubois"}, "used", ""),          # same as birth name: not repeated
    ({"used_name": "", "used_first_name": "Léna"}, "used", "Prénom d'usage : Léna"),
    ({"sex": "M", "deceased": True}, "deceased", "DÉCÉDÉ"),
    ({"sex": "I"}, "birth", "Né(e) le 03/02/1948"),
    ({"ins": "", "ins_status": ""}, "ins", ""),
    ({"ins_status": ""}, "ins", "INS : 2 48 02 75 123 456 78"),
])
def test_identity_line_variants(patient_file, changes, field, expected) -> None:
    patient = dataclasses.replace(patient_file.patient, **changes)
    who = identity.identity_lines(identity.load(), patient)
    assert getattr(who, field) == expected
    assert who.nda == "" and who.where == ""     # no stay: nothing invented


def _reworded(tmp_path: Path) -> Path:
    """A template directory whose identity.toml says « Nom marital » and « N° patient »."""
    for path in DEFAULT_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    text = (DEFAULT_DIR / "identity.toml").read_text(encoding="utf-8")
    text = text.replace('"Nom d\'usage : {used_name}"', '"Nom marital : {used_name}"')
    text = text.replace('ipp = "IPP : {ipp}"', 'ipp = "N° patient : {ipp}"')
    (tmp_path / "identity.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_every_layout_takes_its_words_from_identity_toml(patient_file, ctx, tmp_path) -> None:
    ctx = dataclasses.replace(ctx, templates_dir=_reworded(tmp_path))
    rows = (CensusRow(patient_file.patient, patient_file.stay),)
    pdfs = {"summary": patient_summary.render(patient_file, ctx),
            "labels": labels.render(patient_file, ctx, count=1),
            "wristband": wristband.render(patient_file, ctx),
            "census": census.render(UnitFile("CARD", "Cardiologie", rows), ctx)}
    for kind, pdf in pdfs.items():
        text = " ".join(" ".join(page_texts(pdf)).split())
        assert "Nom marital : MARTIN" in text, kind
        assert "Nom d'usage" not in text and "Nom utilisé" not in text, kind
        if kind != "census":   # the census heads its column « IPP / NDA »
            assert "N° patient : 00123456" in text, kind


def test_a_bad_identity_template_stops_start_up(tmp_path) -> None:
    d = _reworded(tmp_path)
    text = (d / "identity.toml").read_text(encoding="utf-8").replace("{ipp}", "{ip}", 1)
    (d / "identity.toml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"identity\.toml.*identity\.ipp.*\{ip\}"):
        check_templates(d)
