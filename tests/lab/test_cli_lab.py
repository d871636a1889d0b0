"""`pcsauvegarde labo`: range, batches, register exports; user errors are one French line."""

from __future__ import annotations

from click.testing import CliRunner

from pcsauvegarde.cli.main import main


def test_lab_commands(settings, tmp_path):
    data = ["--data", str(settings.data_dir)]
    run = CliRunner().invoke
    r = run(main, ["labo", "plage", *data])
    assert r.exit_code == 0 and "9500001–9599999" in r.output and "99999" in r.output
    r = run(main, ["labo", "lot", "--patients", "3", "--tubes", "2", *data])
    assert r.exit_code == 0, r.output
    assert "Lot n° 1 : 3 numéro(s) de 95000014 à 95000030" in r.output
    r = run(main, ["labo", "lot", "--patients", "1500", "--tubes", "2", *data])
    assert r.exit_code == 1 and "2000 au plus" in r.output and "Traceback" not in r.output
    r = run(main, ["labo", "registre", "--csv", str(tmp_path / "r.csv"), "--fhir",
                   str(tmp_path / "r.json"), *data])
    assert r.exit_code == 0 and "3 numéro(s) exporté(s)" in r.output
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("numero;lot;")
    r = run(main, ["labo", "reimprimer", "1", *data])
    assert r.exit_code == 0 and "réimprimé" in r.output
    r = run(main, ["labo", "reimprimer", "42", *data])
    assert r.exit_code == 1 and "lot n° 42 inconnu" in r.output


def test_no_lab_range_is_a_clear_error(settings):
    from pcsauvegarde.station.settings import load_settings, write_settings

    write_settings(load_settings(settings.data_dir, {"lab_range": ""}))
    r = CliRunner().invoke(main, ["labo", "plage", "--data", str(settings.data_dir)])
    assert r.exit_code == 1 and "aucune plage de numéros de laboratoire" in r.output
