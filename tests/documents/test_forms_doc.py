"""docs/formulaires.md: its example form loads and prints; every section kind and fact is told."""

from __future__ import annotations

import re
from pathlib import Path

from pcsauvegarde.station.documents import forms
from pcsauvegarde.station.documents.forms.spec import FACTS, SECTION_KINDS
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import make_ctx, make_patient_file

DOC = Path(__file__).resolve().parents[2] / "docs" / "formulaires.md"


def test_the_documented_example_loads_and_prints(tmp_path) -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```toml\n# printtemplates/forms/([a-z-]+)\.toml\n(.*?)```", text,
                        re.DOTALL)
    assert example, "docs/formulaires.md MUST hold the example form"
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / f"{example.group(1)}.toml").write_text(example.group(2),
                                                                 encoding="utf-8")
    spec = forms.load(tmp_path)[example.group(1)]
    assert spec.units == ("CHD", "REA") and spec.kit
    pdf = forms.render(make_patient_file(), make_ctx(templates_dir=tmp_path), form=spec.id)
    page = " ".join(page_texts(pdf))
    assert spec.title in page and "Volume total (mL)" in page and "LEFÈVRE-DUBOIS" in page
    assert_page_quality(pdf, allergies=True)


def test_every_section_kind_and_fact_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for kind in SECTION_KINDS:
        assert f"| `{kind}` |" in text, kind
    for fact in FACTS:
        assert f"| `{fact}` |" in text, fact
