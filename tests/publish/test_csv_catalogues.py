"""CSV catalogues: separators, encodings, French numbers, errors naming file/line/column."""

from __future__ import annotations

import re
from pathlib import Path

from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues, kind_of
from pcsauvegarde.publisher.importers.csv.specs import KINDS

DATA = Path(__file__).parent / "data"
DOC = Path(__file__).resolve().parents[2] / "docs" / "csv-catalogues.md"


def _import(*names: str):
    return import_catalogues([DATA / n for n in names] if names else sorted(DATA.glob("*.csv")))


def test_every_kind_imports_from_the_test_files():
    result = _import()
    assert result.counts() == {"product": 3, "supplier": 2, "ward_stock": 3, "tray": 2,
                               "sterilisation_cycle": 1, "unit": 2, "staff": 2}


def test_utf8_bom_semicolon_and_unknown_column():
    result = _import("produits.csv")
    products = {p.id: p for p in result.of_type("product")}
    assert products["9213718"].label == "Paracétamol 1 g comprimé"
    assert products["9213718"].supplier_ref == "UPSA-1G"  # « Réf. fournisseur » header
    assert products["9000001"].label == "Sérum physiologique 0,9 % 500 mL"
    assert result.ignored_columns == {"produits.csv": ["commentaire"]}
    (rej,) = result.rejections
    assert rej.message() == "produits.csv, ligne 4, colonne « code » : valeur obligatoire absente"


def test_windows_1252():
    assert (DATA / "fournisseurs_cp1252.csv").read_bytes().count(b"\xe9") >= 1  # é in cp1252
    names = {s.name for s in _import("fournisseurs_cp1252.csv").of_type("supplier")}
    assert names == {"Laboratoires Dupré", "Société Œnologie & Santé"}


def test_comma_separator_french_numbers_and_line_errors():
    result = _import("dotations.csv")
    stock = {w.id: w.quantity for w in result.of_type("ward_stock")}
    assert stock == {"CARDIO-9213718": 20, "CARDIO-3400935955838": 12, "USIC-9213718": 1200}
    messages = [r.message() for r in result.rejections]
    assert messages[0] == ("dotations.csv, ligne 5, colonne « quantite » : nombre attendu, "
                           "« douze » trouvé")
    assert "ligne 6, colonne « quantite » : nombre entier attendu" in messages[1]
    assert "ligne 7" in messages[2] and "en double" in messages[2]


def test_missing_required_column_refuses_the_file():
    result = _import("dotations_sans_quantite.csv")
    assert result.records == []
    (rej,) = result.rejections
    assert rej.line == 0 and "quantite" in rej.message() and "fichier refusé" in rej.message()


def test_trays_with_composition_and_cycles():
    result = _import("compositions.csv", "plateaux.csv", "cycles.csv")
    trays = {t.id: t for t in result.of_type("tray")}
    assert [(x.instrument, x.quantity) for x in trays["ORTHO-12"].composition] == [
        ("Pince de Kocher", 2), ("Écarteur de Farabeuf", 4)]
    assert trays["VISC-03"].shelf_life_days == 30
    (cycle,) = result.of_type("sterilisation_cycle")
    assert cycle.tray_ids == ("ORTHO-12", "VISC-03") and cycle.at.hour == 13  # 14:05 Paris
    reasons = [r.message() for r in result.rejections]
    assert any("compositions.csv, ligne 5, colonne « plateau »" in m for m in reasons)
    assert any("cycles.csv, ligne 3, colonne « date_heure »" in m for m in reasons)


def test_file_kind_from_name():
    assert kind_of(Path("Dotations_CARDIO.csv")).name == "dotations"
    assert kind_of(Path("unités-2026.csv")).name == "unites"
    assert kind_of(Path("stock.csv")) is None
    (rej,) = import_catalogues([Path("stock.csv")]).rejections
    assert "type de fichier inconnu" in rej.message()


def test_doc_lists_every_column():
    doc = DOC.read_text(encoding="utf-8")
    for kind in KINDS.values():
        section = doc.split(f"### `{kind.name}.csv`", 1)[1].split("###", 1)[0]
        documented = re.findall(r"^\| `([a-z_]+)` \| (oui)? ?\|", section, re.MULTILINE)
        assert documented == [(c.name, "oui" if c.required else "") for c in kind.columns]


def test_packaging_types_and_equipment(tmp_path):
    from pcsauvegarde.core.records import PackagingType, SterilisationEquipment
    (tmp_path / "emballages.csv").write_text(
        "Code;Libellé;Validité mois;Validité jours\nconteneur;Conteneur;6;\n"
        "sachet;Sachet;;30\nvide;Sans durée;;\n", encoding="utf-8")
    (tmp_path / "equipements.csv").write_text(
        "code;nom;type\nLD-1;Laveur 1;Laveur-désinfecteur\nAC-1;Autoclave 1;autoclave\n"
        "X-1;Four;four\n", encoding="utf-8")
    result = import_catalogues(sorted(tmp_path.glob("*.csv")))
    kinds = {r.id: r for r in result.records}
    assert isinstance(kinds["conteneur"], PackagingType)
    assert (kinds["conteneur"].shelf_life_months, kinds["sachet"].shelf_life_days) == (6, 30)
    assert isinstance(kinds["LD-1"], SterilisationEquipment) and kinds["LD-1"].kind == "washer"
    assert kinds["AC-1"].kind == "autoclave"
    messages = [r.message() for r in result.rejections]
    assert any("emballages.csv, ligne 4" in m and "durée de validité absente" in m
               for m in messages), messages
    assert any("equipements.csv, ligne 4, colonne « type »" in m and "four" in m
               for m in messages), messages
