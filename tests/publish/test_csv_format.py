"""CSV catalogues in the wrong encoding or with the wrong separator: read, or refused with why."""

from __future__ import annotations

from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues

ROWS = "code;nom;telephone\r\nF001;Laboratoires Dupré;01 23 45 67 89\r\nF002;Société Œnologie;\r\n"


def _read(tmp_path, data: bytes, name: str = "fournisseurs.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return import_catalogues([path])


def _messages(result) -> list[str]:
    return [r.message() for r in result.rejections]


def test_excel_unicode_text_utf16_tabs_is_read(tmp_path) -> None:
    result = _read(tmp_path, ROWS.replace(";", "\t").encode("utf-16"))   # BOM, then UTF-16LE
    assert {s.name for s in result.of_type("supplier")} == {"Laboratoires Dupré",
                                                             "Société Œnologie"}
    assert not result.rejections


def test_excel_sep_line_is_obeyed_and_line_numbers_stay_the_files(tmp_path) -> None:
    text = "sep=,\r\n" + ROWS.replace(";", ",") + "F003,,\r\n"
    result = _read(tmp_path, text.encode("cp1252"))
    assert len(result.of_type("supplier")) == 2
    assert _messages(result) == ["fournisseurs.csv, ligne 5, colonne « nom » : valeur "
                                 "obligatoire absente"]


def test_pipe_separator_refuses_the_file_saying_why(tmp_path) -> None:
    result = _read(tmp_path, ROWS.replace(";", "|").encode("utf-8"))
    assert result.records == []
    (message,) = _messages(result)
    assert message.startswith("fournisseurs.csv : séparateur non reconnu : l'en-tête "
                              "« code|nom|telephone » ne forme qu'une colonne (séparateur « | » ?)")
    assert message.endswith("fichier refusé")


def test_line_with_another_separator_than_the_header_is_refused_not_misread(tmp_path) -> None:
    text = ROWS + "F003,Pharma Ouest,02 40 00 00 00\r\n"
    result = _read(tmp_path, text.encode("utf-8"))
    assert len(result.of_type("supplier")) == 2
    assert _messages(result) == [
        "fournisseurs.csv, ligne 4 : une seule valeur : séparateur « , » dans cette ligne, "
        "« ; » dans l'en-tête ; ligne refusée"]


def test_unquoted_decimal_comma_is_refused_not_truncated(tmp_path) -> None:
    data = b"unite,produit,quantite\nCARDIO,9213718,12,5\nCARDIO,9000001,3\n"
    result = _read(tmp_path, data, "dotations.csv")
    assert [w.quantity for w in result.of_type("ward_stock")] == [3]   # never 12
    (message,) = _messages(result)
    assert message == ("dotations.csv, ligne 2 : 4 valeurs pour 3 colonnes d'en-tête "
                       "(virgule décimale sans guillemets dans un fichier séparé par des "
                       "virgules ?) : ligne refusée plutôt que tronquée")


def test_unreadable_encodings_and_spreadsheets_are_explained(tmp_path) -> None:
    xlsx = _read(tmp_path, b"PK\x03\x04" + b"\x00" * 40)
    assert "classeur Excel (.xlsx)" in _messages(xlsx)[0]
    utf16 = _read(tmp_path, ROWS.encode("utf-16-le"))   # no BOM: NUL every other byte
    assert "UTF-16 sans BOM" in _messages(utf16)[0] and utf16.records == []
    # 0x81 is undefined in Windows-1252 and never valid alone in UTF-8
    bad = _read(tmp_path, ROWS.encode("cp1252").replace(b"F002", b"F0\x812"))
    assert _messages(bad) == ["fournisseurs.csv : encodage non reconnu : l'octet 0x81 "
                              "(ligne 3) n'est ni de l'UTF-8 ni du Windows-1252 ; réexporter "
                              "le fichier en UTF-8 : fichier refusé"]
