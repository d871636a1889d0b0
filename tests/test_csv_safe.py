"""The one CSV guard (core/text.py): formula-safe cells, a spreadsheet-ready encoding."""

import csv
import io

from pcsauvegarde.core.text import CSV_BOM, csv_safe, csv_text


def test_every_formula_start_is_neutralised():
    for value in ("=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx", "|cmd", "%0A"):
        assert csv_safe(value) == "'" + value
    assert csv_safe("D'Artagnan") == "D'Artagnan" and csv_safe(None) == "" and csv_safe(3) == "3"


def test_csv_text_opens_in_french_excel_and_reads_back():
    rows = [("nom", "note"), ("N'GUESSAN-ÉLODIE 😀", '=HYPERLINK("http://x")'), ("a;b", "l1\nl2")]
    text = csv_text(rows)
    assert text.startswith(CSV_BOM) and "\r\n" in text
    back = list(csv.reader(io.StringIO(text.removeprefix(CSV_BOM)), delimiter=";"))
    assert back == [["nom", "note"], ["N'GUESSAN-ÉLODIE 😀", "'=HYPERLINK(\"http://x\")"],
                    ["a;b", "l1\nl2"]]
