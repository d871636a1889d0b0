"""One registry entry per document kind: what the station issues, bundles and checks."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents import KINDS, DocumentKind, check_templates, document_kind
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from pcsauvegarde.station.issuing.bundling import BUNDLE_KINDS
from tests.support.pdfcheck import page_texts


def test_every_kind_is_complete() -> None:
    assert set(KINDS) == {"summary", "administration_plan", "prescriptions", "care_plan",
                          "labels", "wristband", "admission", "census", "form"}
    for name, kind in KINDS.items():
        assert isinstance(kind, DocumentKind) and kind.name == name and kind.title
        assert kind.scope in ("patient", "unit")
        for template in kind.templates:
            assert (DEFAULT_DIR / template).exists(), (name, template)
        kind.load(None)


def test_bundles_hold_only_kinds_that_can_share_a_pdf() -> None:
    assert all(KINDS[k].draw is not None for k in BUNDLE_KINDS)
    assert KINDS["labels"].draw is None       # label stock: its own pages, its own job


def test_lookup_by_scope() -> None:
    assert document_kind("census", "unit") is KINDS["census"]
    assert document_kind("census", "patient") is None
    assert document_kind("summary") is KINDS["summary"]
    assert document_kind("bordereau") is None


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_renders_from_its_entry(name, patient_file, ctx) -> None:
    kind = KINDS[name]
    data = (patient_file if kind.scope == "patient"
            else UnitFile("CARD", "Cardiologie", (CensusRow(patient_file.patient,
                                                            patient_file.stay),)))
    options = {"form": "surveillance-24h"} if name == "form" else {}   # which form: an option
    text = " ".join(page_texts(kind.render(data, ctx, **options)))
    assert "LEFÈVRE-DUBOIS" in text and "MODE DÉGRADÉ" in text


def test_check_templates_loads_every_entry(tmp_path) -> None:
    for path in DEFAULT_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    check_templates(tmp_path)
    census = tmp_path / "census.toml"
    census.write_text(census.read_text(encoding="utf-8").replace("[document]", "[documnt]"),
                      encoding="utf-8")
    with pytest.raises(TemplateError, match=r"census\.toml"):
        check_templates(tmp_path)
    census.unlink()   # the packaged census.toml is used again
    check_templates(tmp_path)
    (tmp_path / "sumary.toml").write_text("", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"sumary\.toml : modèle inconnu"):
        check_templates(tmp_path)
