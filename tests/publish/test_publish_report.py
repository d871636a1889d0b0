"""Nothing dropped between import and package: scoping of patients without a stay, the report."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.core.package import read_package
from pcsauvegarde.core.package.minisign import load_public_key
from pcsauvegarde.core.records import LabResult, Patient, Stay
from pcsauvegarde.publisher.publisher import (
    PublishError,
    load_publisher_config,
    publish,
    write_publisher_config,
)
from pcsauvegarde.publisher.report import PublishReport
from pcsauvegarde.publisher.scoping import route_patients
from tests.support.hospital import T0, hospital, publisher
from tests.support.pam import HOSPITAL, adt, msh, pid, pv1, seg


def outpatients() -> list:
    """An outpatient with a lab result and no stay; one seen in an unserved unit."""
    return [Patient("900100", "SANSLIT", "Léa", dt.date(1990, 1, 1), "F"),
            LabResult("R100", "900100", "2823-3", "Potassium", "4.2", T0),
            Patient("900101", "AILLEURS", "Paul", dt.date(1980, 1, 1), "M"),
            Stay("V101", "900101", "URG", T0 - dt.timedelta(hours=5), discharge=T0),
            LabResult("R101", "900101", "2823-3", "Potassium", "5.2", T0)]


def with_fallback(config, station_id: str):
    stations = tuple(dataclasses.replace(s, patients_without_stay=s.id == station_id)
                     for s in config.stations)
    return dataclasses.replace(config, stations=stations)


def test_routing_of_patients_without_a_served_stay(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("cardio-1", "", ("CARDIO",)),
                                             ("labo-1", "", ("LABO",)), ("tout-1", "", ("*",))])
    config = with_fallback(config, "labo-1")
    routing = route_patients(hospital() + outpatients(), config.stations)
    assert routing.by_ipp["900000"] == {"cardio-1", "tout-1"}  # stay in CARDIO
    assert routing.by_ipp["900100"] == {"labo-1", "tout-1"}    # no stay at all
    assert routing.by_ipp["900101"] == {"labo-1", "tout-1"}    # URG: nobody serves it
    none = route_patients(outpatients(), config.stations[:1])
    assert none.reasons == {
        "900100": "patient sans séjour et aucune station « patients_without_stay »",
        "900101": "séjours en unité non desservie (URG) et aucune station "
                  "« patients_without_stay »"}


def test_star_station_receives_patients_without_a_stay(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    publish(hospital() + outpatients(), config, "full", now=T0)
    pub = [load_public_key(config.signing_key.with_suffix(".pub"))]
    _, items = read_package(config.drop_dir / "urg-1.lab.full.0000000001.age", pub,
                            ids["urg-1"])
    assert {"R100", "R101"} <= {i.id for i in items}
    _, items = read_package(config.drop_dir / "urg-1.dpi.full.0000000001.age", pub,
                            ids["urg-1"])
    assert {"900100", "900101"} <= {i.id for i in items if i.TYPE == "patient"}


def test_report_counts_every_record_and_says_why(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("cardio-1", "", ("CARDIO",))])
    records = hospital() + outpatients()
    report = PublishReport()
    publish(records, config, "full", now=T0, report=report)
    patients, results = report.types["patient"], report.types["lab_result"]
    assert (patients.imported, patients.in_scope, patients.sent) == (8, 3, 3)
    assert patients.not_sent == {
        "séjours en unité non desservie (USIC) et aucune station « patients_without_stay »": 3,
        "patient sans séjour et aucune station « patients_without_stay »": 1,
        "séjours en unité non desservie (URG) et aucune station « patients_without_stay »": 1}
    assert (results.imported, results.in_scope, results.sent) == (8, 3, 3)
    assert report.types["product"].sent == 1
    for t in report.types.values():  # nothing unaccounted for
        assert t.imported == t.sent + sum(t.not_sent.values())
    again = PublishReport()
    changed = [dataclasses.replace(r, value="4.9") if r.id == "K00" else r for r in records]
    publish(changed, config, "delta", now=T0 + dt.timedelta(minutes=1), report=again)
    results = again.types["lab_result"]
    assert (results.in_scope, results.sent) == (3, 1)
    assert results.not_sent["inchangé depuis le paquet précédent (déjà sur les stations)"] == 2
    lines = again.lines()
    assert lines[0] == "Bilan par type : importés → dans le périmètre d'une station → envoyés"
    at = lines.index("  résultats de biologie : 8 → 3 → 1")
    assert lines[at + 1:at + 5] == [
        ("      non envoyés, séjours en unité non desservie (USIC) et aucune station "
        "« patients_without_stay » : 3"),
        "      non envoyés, inchangé depuis le paquet précédent (déjà sur les stations) : 2",
        "      non envoyés, patient sans séjour et aucune station « patients_without_stay » : 1",
        ("      non envoyés, séjours en unité non desservie (URG) et aucune station "
        "« patients_without_stay » : 1")]


def test_config_patients_without_stay_round_trip_and_groups(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("labo-1", "labo", ("LABO",)),
                                             ("labo-2", "labo", ("LABO",))])
    config = with_fallback(config, "labo-1")
    path = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(path, "drop", "publisher.key", config.stations)
    with pytest.raises(PublishError, match="patients_without_stay"):
        load_publisher_config(path)
    stations = tuple(dataclasses.replace(s, patients_without_stay=True) for s in config.stations)
    write_publisher_config(path, "drop", "publisher.key", stations)
    assert load_publisher_config(path).stations == stations
    path.write_text(path.read_text() + '\n[hl7v2]\nipp_authorities = ["1.2.250.1.9"]\n'
                    'nda_field = "PID-18"\n', encoding="utf-8")
    loaded = load_publisher_config(path)
    assert loaded.hl7.ipp_authorities == ("1.2.250.1.9",) and loaded.hl7.nda_field == "PID-18"
    path.write_text(path.read_text().replace("PID-18", "PV1-99"), encoding="utf-8")
    with pytest.raises(PublishError, match=r"hl7v2\.nda_field « PV1-99 » inconnu"):
        load_publisher_config(path)


OBR = seg("OBR", {1: "1", 2: "C1", 3: "LAB1", 7: "202611270600"})


def mixed_batch() -> str:
    """A day of a French feed: admissions, an ED visit, an outpatient's results, orders."""
    ed = pid(ipp="900300", ins="", name="URGENT^Paul^Paul^^^^L", birth="19700101")
    outpatient = pid(ipp="900400", ins="", name="EXTERNE^Lise^Lise Anne^^^^L",
                     birth="19850505", sex="F")
    return "\r".join([
        adt("A01", "1", pid(), pv1(), "AL1|1|DA|PENI^Pénicilline|MODERATE"),
        adt("A04", "2", ed, pv1(nda="V300", klass="E", unit="URG^BOX1")),
        adt("A28", "3", outpatient),
        adt("A01", "4", pid(ipp="900500", ins="987654321654321", name="INVALIDE^Ins^^^^^L"),
            pv1(nda="V500")),
        adt("A11", "5", pid(ipp="900500", ins=""), pv1(nda="V500")),
        "\r".join([msh("ORU^R01", "6"), outpatient, OBR,
                   "OBX|1|NM|2823-3^Potassium||4.1|mmol/L|3.5-5.0|N|||P",
                   "OBX|2|NM|2951-2^Sodium||139|mmol/L|135-145|N|||F"]),
        "\r".join([msh("ORU^R01", "7"), pid(), OBR.replace("LAB1", "LAB2"),
                   "OBX|1|NM|718-7^Hémoglobine||9.1|g/dL|12-16|L|||C",
                   "OBX|2|NM|2160-0^Créatinine||95|µmol/L|45-90|ZZ|||F"]),
        "\r".join([msh("RDE^O11", "8"), pid(), pv1(admit=""), "ORC|NW|P1",
                   "RXE|^Q6H^^202611270800|9213718^Paracétamol^UCD|1||g", "RXR|PO"]),
        "\r".join([msh("ADT^A40^ADT_A39", "9"), pid(), seg("MRG", {1: f"900999^^^{HOSPITAL}^PI"})]),
        "\r".join([msh("ADT^A99", "10"), pid()]),
    ])


def test_cli_publish_prints_the_report_on_a_mixed_batch(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("cardio-1", "", ("CARDIO",)),
                                             ("urg-1", "", ("URG",))])
    config = with_fallback(config, "urg-1")
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    toml.write_text(toml.read_text() + '\n[hl7v2]\nipp_authorities = ["1.2.250.1.999.1.1.1"]\n',
                    encoding="utf-8")
    feed = tmp_path / "flux.txt"
    feed.write_bytes(mixed_batch().replace("\r", "\r\n").encode())
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), "--kind", "full",
                                  str(feed)])
    assert r.exit_code == 1, r.output  # published, with a refused and two partial messages
    assert ("11 enregistrements importés, 1 refusés, 2 signalements (messages appliqués en "
            "partie)") in r.output
    assert "  patients : 4 → 4 → 4" in r.output
    assert "  résultats de biologie : 3 → 3 → 3" in r.output
    assert "  séjours : 2 → 2 → 2" in r.output
    assert "ADT^A99 refusé (10) — type de message « ADT^A99 » non pris en charge" in r.output
    assert "INS (NIR) invalide ignoré" in r.output
    assert "OBX 2 : OBX-8 indicateur d'anomalie « ZZ » inconnu" in r.output
    other = tmp_path / "lisez-moi.txt"
    other.write_text("export du jour", encoding="utf-8")
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), str(feed), str(other)])
    assert any(line.startswith("lisez-moi.txt : ignoré : extension inconnue (.ndjson")
               for line in r.output.splitlines())
    assert "refusé : lisez-moi" not in r.output
