"""Print templates: packaged with the code, replaced file by file by the hospital's own folder."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pcsauvegarde.station.documents import check_templates
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError, template_path
from tests.support.pdfcheck import page_texts

ROOT = Path(__file__).resolve().parent.parent
OWN_TITLE = "Synthèse patient (modèle du CH)"


def own_summary(folder: Path) -> Path:
    """A hospital copy of summary.toml with its own document title."""
    folder.mkdir(exist_ok=True)
    text = (DEFAULT_DIR / "summary.toml").read_text(encoding="utf-8")
    own, found = re.subn(r'(\[document\]\ntitle = )"[^"]*"', rf'\1"{OWN_TITLE}"', text)
    assert found == 1
    (folder / "summary.toml").write_text(own, encoding="utf-8")
    return folder / "summary.toml"


def test_packaged_templates_are_package_data() -> None:
    assert DEFAULT_DIR.is_relative_to(ROOT / "pcsauvegarde")
    assert {p.stem for p in DEFAULT_DIR.glob("*.toml")} >= {"summary", "census", "labels"}
    check_templates()


def test_the_hospital_folder_wins_file_by_file(tmp_path: Path) -> None:
    own = own_summary(tmp_path)
    assert template_path("summary", tmp_path) == own
    assert template_path("census", tmp_path) == DEFAULT_DIR / "census.toml"
    assert template_path("summary") == DEFAULT_DIR / "summary.toml"
    check_templates(tmp_path)


@pytest.mark.slow
def test_station_documents_use_the_hospital_templates(station) -> None:
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.documents import census
    from pcsauvegarde.station.issuing.bundling import issue_unit_bundle
    from pcsauvegarde.station.issuing.issue import issue_patient_document, issue_unit_document

    ipp = patients.inpatients(station, "REA")[0].patient.id
    before = page_texts(issue_patient_document(station, "summary", ipp, "infirmiere").pdf)[0]
    assert OWN_TITLE not in before

    own_summary(station.settings.data_dir / "modeles")
    station.settings = dataclasses.replace(station.settings, print_templates_dir="modeles")
    summary = page_texts(issue_patient_document(station, "summary", ipp, "infirmiere").pdf)
    assert OWN_TITLE in summary[0]
    unit = patients.unit_file(station, "REA")
    census_page = page_texts(issue_unit_document(station, "census", unit, "infirmiere").pdf)[0]
    packaged = census.load().text("document.title", unit=unit.name)  # census.toml not overridden
    assert packaged in census_page and census.load(station.settings.print_templates_path) == \
        census.load()
    bundle = issue_unit_bundle(station, "REA", ["summary"], "infirmiere")
    assert any(OWN_TITLE in page for page in page_texts(bundle.pdf))


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: (d / "sumary.toml").write_text("", encoding="utf-8"),
     "sumary.toml : modèle inconnu"),
    (lambda d: shutil.rmtree(d), "dossier des modèles d'impression introuvable"),
    (lambda d: (d / "census.toml").write_text("[document\n", encoding="utf-8"),
     "census.toml : syntaxe TOML invalide"),
])
def test_a_broken_hospital_folder_is_refused_naming_it(tmp_path: Path, make, words) -> None:
    folder = tmp_path / "modeles"
    own_summary(folder)
    make(folder)
    with pytest.raises(TemplateError, match=words):
        check_templates(folder)


@pytest.mark.slow
def test_an_installed_wheel_prints_outside_the_source_tree(tmp_path: Path) -> None:
    """pip wheel, install into a bare folder, render from elsewhere: templates come along."""
    source, wheels, site = tmp_path / "source", tmp_path / "wheels", tmp_path / "site"
    # A copy of what a release holds, so the build writes nothing into this tree.
    shutil.copytree(ROOT / "pcsauvegarde", source / "pcsauvegarde",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                            str(wheels), str(source)], capture_output=True, text=True,
                           cwd=tmp_path, check=False)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("pcsauvegarde-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(site), str(wheel)], check=True, capture_output=True, cwd=tmp_path)
    own_summary(tmp_path / "modeles")
    script = textwrap.dedent(f"""
        import datetime as dt, io, json, pathlib
        import pcsauvegarde
        from pcsauvegarde.core.records import Patient
        from pcsauvegarde.station.documents import check_templates, patient_summary
        from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
        import pypdf
        assert pcsauvegarde.__file__.startswith({str(site)!r}), pcsauvegarde.__file__
        check_templates()
        now = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)
        file = PatientFile(Patient("P1", "Durand", "Léa", dt.date(1950, 1, 2), "F"))
        texts = []
        for folder in (None, pathlib.Path("modeles")):
            ctx = DocumentContext("CH", "st-1", "IDE", now, now, "SYN-1", templates_dir=folder)
            pdf = patient_summary.render(file, ctx)
            texts.append(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
        print(json.dumps(texts))
    """)
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       cwd=tmp_path, env=env, check=False)
    assert r.returncode == 0, r.stderr
    packaged, own = json.loads(r.stdout)
    assert "DURAND" in packaged and OWN_TITLE not in packaged
    assert OWN_TITLE in own
