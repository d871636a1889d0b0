"""Data minimisation: publisher.toml refused when it is not exactly understood, and a station
receives nothing of a unit it does not serve, record type by record type."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.core.package import read_package
from pcsauvegarde.core.package.minisign import load_public_key
from pcsauvegarde.core.records import (
    RECORD_TYPES,
    Allergy,
    AnaesthesiaAssessment,
    Appointment,
    BloodTyping,
    CareTask,
    Condition,
    ImagingExam,
    LabResult,
    MedicationAdministration,
    MedicationOrder,
    PackagingType,
    Patient,
    Product,
    Record,
    StaffEntry,
    Stay,
    SterilisationCycle,
    SterilisationEquipment,
    Supplier,
    SupplierOrderLine,
    SurgeryCase,
    Timing,
    TransfusionFact,
    Tray,
    Unit,
    WardRequestLine,
    WardStock,
)
from pcsauvegarde.publisher.publisher import PublishError, load_publisher_config, publish
from pcsauvegarde.publisher.scoping import RULES, SHARED, unscoped_types
from tests.support.hospital import T0, publisher

UNITS = ("REA", "MED", "CHD")


def unit_records(unit: str, n: int) -> list[Record]:
    """One record of every per-patient and per-unit type, all tagged with ``unit``."""
    ipp, t = f"IPP-{unit}-{n}", T0
    once = Timing("once")
    return [
        Patient(ipp, f"NOM-{unit}", "Prénom", dt.date(1950, 1, n + 1), "F"),
        Stay(f"NDA-{unit}", ipp, unit, t),
        Allergy(f"ALG-{unit}", ipp, "Pénicilline"),
        Condition(f"CND-{unit}", ipp, "Diabète"),
        MedicationOrder(f"ORD-{unit}", ipp, "Paracétamol", "1 g", once, t),
        MedicationAdministration(f"ADM-{unit}", ipp, f"ORD-{unit}", t),
        CareTask(f"CARE-{unit}", ipp, "Pansement", once, t),
        LabResult(f"LAB-{unit}", ipp, "2823-3", "Potassium", "4,1", t),
        ImagingExam(f"IMG-{unit}", ipp, "CT", "Scanner thoracique", t),
        Appointment(f"RDV-{unit}", ipp, unit, t, clinic=f"Consultation {unit}"),
        SurgeryCase(f"OR-{unit}", ipp, "Bloc 1", t, "Appendicectomie"),
        BloodTyping(f"BT-{unit}", ipp, "group", t, "882-1", abo="O", rhd="negative"),
        TransfusionFact(f"TF-{unit}", ipp, "requirement", need="irradiated"),
        AnaesthesiaAssessment(f"CPA-{unit}", ipp, t, asa="2"),
        WardStock(f"{unit}-9213718", unit, "9213718", 20),
        WardRequestLine(f"{unit}-9213718-1", unit, "9213718", 5, t),
        Tray(f"TRAY-{unit}", "Boîte de pansement", owner_unit=unit),
        SterilisationCycle(f"CYC-{unit}", "AUTOCLAVE-1", f"C{n}", t, tray_ids=(f"TRAY-{unit}",)),
        StaffEntry(f"STAFF-{unit}", f"Dr {unit}", unit=unit, phone="0102030405"),
    ]


def three_units() -> list[Record]:
    shared: list[Record] = [Product("9213718", "Paracétamol 1 g"), Supplier("S1", "Dupré"),
                            SupplierOrderLine("CMD-1-9213718", "CMD-1", "9213718", 20, T0),
                            *(Unit(u, u) for u in UNITS),
                            Tray("TRAY-COMMUNE", "Boîte commune"),
                            StaffEntry("STAFF-GARDE", "Pharmacien de garde"),
                            PackagingType("conteneur", "Conteneur à filtre", 6),
                            SterilisationEquipment("AUTOCLAVE-1", "Autoclave 1")]
    return shared + [r for n, u in enumerate(UNITS) for r in unit_records(u, n)]


def test_every_record_type_has_a_scope_rule():
    assert unscoped_types() == set()


def test_one_unit_station_receives_nothing_of_another_unit(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("rea-1", "", ("REA",))])
    written = publish(three_units(), config, "full", now=T0)
    pub = [load_public_key(config.signing_key.with_suffix(".pub"))]
    received: dict[str, list[Record]] = {}
    for path in written:
        _, items = read_package(path, pub, ids["rea-1"])
        for item in items:
            received.setdefault(item.TYPE, []).append(item)
    # every type is present (the test proves something for each), none of MED or CHD
    assert set(received) == set(RECORD_TYPES)
    for rtype, items in received.items():
        rule = RULES[rtype][0]
        ids_ = {i.id for i in items}
        if rule == SHARED:
            assert len(items) == sum(1 for r in three_units() if r.TYPE == rtype), rtype
            continue
        for other in ("MED", "CHD"):
            assert not any(other in i for i in ids_), (rtype, ids_)
        own = {i for i in ids_ if "REA" in i}
        assert own, rtype
    assert {i.id for i in received["tray"]} == {"TRAY-REA", "TRAY-COMMUNE"}
    assert {i.id for i in received["staff"]} == {"STAFF-REA", "STAFF-GARDE"}
    assert {i.unit for i in received["ward_stock"]} == {"REA"}
    assert {i.unit for i in received["ward_request_line"]} == {"REA"}


def test_star_station_receives_every_unit(tmp_path):
    config, ids = publisher(tmp_path / "pub", [("central", "", ("*",))])
    written = publish(three_units(), config, "full", now=T0)
    pub = [load_public_key(config.signing_key.with_suffix(".pub"))]
    stock = [i for p in written for i in read_package(p, pub, ids["central"])[1]
             if i.TYPE == "ward_stock"]
    assert {s.unit for s in stock} == set(UNITS)


TOML = """\
drop_dir = "drop"
signing_key = "publisher.key"

[[stations]]
id = "rea-1"
recipients = ["age1qqq"]
units = ["REA"]

[[stations]]
id = "med-1"
recipients = ["age1qqq"]
{extra}
"""


def _load(tmp_path, extra: str, head: str = ""):
    path = tmp_path / "publisher.toml"
    path.write_text(head + TOML.format(extra=extra), encoding="utf-8")
    return load_publisher_config(path)


def test_misspelt_key_is_refused_with_line_and_nearest_key(tmp_path):
    with pytest.raises(PublishError) as exc:
        _load(tmp_path, 'unit = ["MED"]')
    assert "publisher.toml" in str(exc.value)
    assert "ligne 12" in str(exc.value)
    assert "clé inconnue « unit »" in str(exc.value)
    assert "vouliez-vous dire « units » ?" in str(exc.value)


def test_misspelt_top_level_key_is_refused(tmp_path):
    with pytest.raises(PublishError, match=r"ligne 1 : clé inconnue « full_every_minute » ; "
                                           r"vouliez-vous dire « full_every_minutes » \?"):
        _load(tmp_path, 'units = ["MED"]', head="full_every_minute = 30\n")


def test_station_without_units_is_an_error_and_star_is_explicit(tmp_path):
    with pytest.raises(PublishError, match="clé « units » manquante dans le bloc "
                                           r"\[\[stations\]\] n° 2"):
        _load(tmp_path, "")
    with pytest.raises(PublishError, match="liste d'unités vide"):
        _load(tmp_path, "units = []")
    with pytest.raises(PublishError, match="ne se combine pas"):
        _load(tmp_path, 'units = ["*", "MED"]')
    config = _load(tmp_path, 'units = ["*"]')
    assert [s.units for s in config.stations] == [("REA",), ("*",)]


def test_wrong_types_are_refused_with_their_line(tmp_path):
    with pytest.raises(PublishError, match="ligne 1 : « full_every_minutes » doit être un "
                                           "nombre entier"):
        _load(tmp_path, 'units = ["MED"]', head='full_every_minutes = "30"\n')
    with pytest.raises(PublishError, match="ligne 12 : « units » doit être une liste"):
        _load(tmp_path, 'units = "MED"')


def test_hl7v2_table_and_booleans_are_validated_too(tmp_path):
    with pytest.raises(PublishError, match=r"ligne 15 : clé inconnue « ipp_type » ; "
                                           r"vouliez-vous dire « ipp_types » \?"):
        _load(tmp_path, 'units = ["MED"]\n\n[hl7v2]\nipp_type = ["PI"]')
    with pytest.raises(PublishError, match="ligne 13 : « patients_without_stay » doit être "
                                           "true ou false"):
        _load(tmp_path, 'units = ["MED"]\npatients_without_stay = "oui"')
    config = _load(tmp_path, 'units = ["MED"]\npatients_without_stay = true\n\n[hl7v2]\n'
                   'ipp_authorities = ["1.2.250.1.999"]')
    assert config.stations[1].patients_without_stay
    assert config.hl7.ipp_authorities == ("1.2.250.1.999",)
