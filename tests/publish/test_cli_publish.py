"""`pcsauvegarde publish --kind`: HL7 v2 and CSV inputs, full then nothing-changed delta."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.publisher import write_publisher_config
from tests.support.hl7 import PID, message, visit
from tests.support.hospital import dump, publisher, pull, station

DATA = Path(__file__).parent / "data"


def test_publish_hl7_and_csv_full_then_delta(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    adt = tmp_path / "adt.hl7"
    adt.write_text(message("ADT^A01", "1", PID, visit(admit="202611250830")), encoding="utf-8")
    args = ["publish", "--config", str(toml), str(adt), str(DATA / "produits.csv"),
            str(DATA / "unites.csv")]
    r = CliRunner().invoke(main, [*args[:3], "--kind", "full", *args[3:]])
    assert r.exit_code == 1, r.output  # published, with a refused line
    assert "refusé : produits.csv, ligne 4, colonne « code »" in r.output
    published = sorted(line.rsplit("/", 1)[1] for line in r.output.splitlines()
                       if line.startswith("publié"))
    assert published == ["urg-1.directory.full.0000000001.age", "urg-1.dpi.full.0000000001.age",
                         "urg-1.pharmacy.full.0000000001.age"]
    r = CliRunner().invoke(main, [*args[:3], "--kind", "delta", *args[3:]])
    assert r.exit_code == 1 and "publié :" not in r.output  # nothing changed
    assert "rien de nouveau à publier" in r.output


def _config(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    return toml


def test_every_file_gets_a_verdict_and_exit_codes_say_how_it_went(tmp_path):
    toml = _config(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("rien", encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), str(notes),
                                  str(DATA / "dotations_sans_quantite.csv")])
    assert r.exit_code == 2, r.output  # nothing published: the reasons are printed
    assert "notes.txt : ignoré : extension inconnue" in r.output
    assert ("dotations_sans_quantite.csv : REFUSÉ — colonne(s) obligatoire(s) absente(s) : "
            "quantite") in r.output
    assert "aucun enregistrement à publier : voir le verdict de chaque fichier" in r.output
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), str(DATA / "unites.csv")])
    assert r.exit_code == 0, r.output
    assert "unites.csv (CSV) : 2 lu(s), 0 refusé(s)" in r.output and "/s" in r.output
    assert "publié :" in r.output


def test_unknown_columns_are_listed(tmp_path):
    r = CliRunner().invoke(main, ["publish", "--config", str(_config(tmp_path)),
                                  str(DATA / "produits.csv")])
    assert "colonne(s) inconnue(s) ignorée(s) : « commentaire »" in r.output


def test_double_encoded_header_is_explained_as_an_encoding_problem(tmp_path):
    good = "Code;Nom;Téléphone\nREA;Réanimation;0102030405\n"
    bad = tmp_path / "unites.csv"
    bad.write_bytes(good.encode("utf-8").decode("cp1252").encode("utf-8"))
    assert "TÃ©lÃ©phone" in bad.read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", "--config", str(_config(tmp_path)), str(bad)])
    assert r.exit_code == 2, r.output
    assert ("unites.csv : REFUSÉ — problème d'encodage : l'en-tête « TÃ©lÃ©phone » devrait se "
            "lire « Téléphone »") in r.output


def test_wrong_separator_is_explained_by_the_publish_report(tmp_path):
    bad = tmp_path / "produits.csv"
    bad.write_text("code|libelle\n3400935955838|Doliprane 1000 mg\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", "--config", str(_config(tmp_path)), str(bad)])
    assert r.exit_code == 2, r.output
    assert ("produits.csv : REFUSÉ — séparateur non reconnu : l'en-tête « code|libelle » ne "
            "forme qu'une colonne (séparateur « | » ?)") in r.output


def test_bad_config_exits_2(tmp_path):
    toml = tmp_path / "publisher.toml"
    toml.write_text('drop_dir = "d"\nsigning_key = "k"\n[[stations]]\nid = "a"\n'
                    'recipients = ["age1x"]\nunit = ["REA"]\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), str(DATA / "unites.csv")])
    assert r.exit_code == 2 and "ligne 6 : clé inconnue « unit »" in r.output, r.output


def test_one_shot_publish_sends_a_delta_from_the_state_and_a_full_when_it_is_lost(tmp_path):
    toml = _config(tmp_path)
    adt = tmp_path / "adt.hl7"
    adt.write_text(message("ADT^A01", "1", PID, visit(admit="202611250830")), encoding="utf-8")
    args = ["publish", "--config", str(toml), str(adt), str(DATA / "unites.csv")]

    def names(output: str) -> list[str]:
        return sorted(line.rsplit("/", 1)[1] for line in output.splitlines()
                      if line.startswith("publié"))

    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert names(r.output) == ["urg-1.directory.full.0000000001.age",
                               "urg-1.dpi.full.0000000001.age"]
    # a transfer at the source: only the stay goes, as a delta on the state's packages
    adt.write_text(message("ADT^A01", "1", PID, visit(unit="USIC", admit="202611250830")),
                   encoding="utf-8")
    r = CliRunner().invoke(main, args)
    assert names(r.output) == ["urg-1.dpi.delta.0000000002.age"], r.output
    assert "séjours : 1 → 1 → 1" in r.output and "patients : 1 → 1 → 0" in r.output
    assert "non envoyés, inchangé depuis le paquet précédent" in r.output
    # the state is lost: one full per domain, numbered after the drop's packages
    for path in (tmp_path / "pub").glob("*.sqlite*"):
        path.unlink()
    r = CliRunner().invoke(main, args)
    assert names(r.output) == ["urg-1.directory.full.0000000002.age",
                               "urg-1.dpi.full.0000000003.age"], r.output
    index = (tmp_path / "pub" / "drop" / "index.txt").read_text()
    assert "urg-1.dpi.full.0000000003.age" in index


def test_a_run_with_only_a_catalogue_leaves_the_other_domains_untouched(tmp_path):
    """A one-shot run holding nothing for a domain sends nothing for it: no deletion."""
    config, identities = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    settings, store = station(tmp_path / "st", config, identities["urg-1"], "urg-1")
    adt = tmp_path / "adt.hl7"
    adt.write_text(message("ADT^A01", "1", PID, visit(admit="202611250830")), encoding="utf-8")
    base = ["publish", "--config", str(toml)]
    r = CliRunner().invoke(main, [*base, "--kind", "full", str(adt), str(DATA / "unites.csv")])
    assert r.exit_code == 0, r.output
    pull(settings, store)
    before = dump(store)
    assert any(t == "patient" for t, _, _ in before[0]) and before[1]
    for kind in ("auto", "delta", "full"):
        r = CliRunner().invoke(main, [*base, "--kind", kind, str(DATA / "produits.csv")])
        assert r.exit_code == 1, r.output  # published (produits.csv has one refused line)
        assert "Dossier patient : aucune entrée dans ce lot, rien envoyé" in r.output
        assert "Annuaire : aucune entrée dans ce lot, rien envoyé" in r.output
        assert not [line for line in r.output.splitlines()
                    if line.startswith("publié") and (".dpi." in line or ".directory." in line)]
        pull(settings, store)
        records, index = dump(store)
        assert [row for row in records if row[0] != "product"] == [
            row for row in before[0] if row[0] != "product"]
        assert index == before[1]
        assert any(t == "product" for t, _, _ in records)
