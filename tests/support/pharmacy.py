"""A small pharmacy extract: real CIP13 codes, demo UCD13 codes, and every catalogue fault."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import (
    Product,
    StaffEntry,
    Supplier,
    SupplierOrderLine,
    Unit,
    WardRequestLine,
    WardStock,
)
from pcsauvegarde.station.pharmacy.dotations import build
from pcsauvegarde.station.pharmacy.model import WardStockList

# Real CIP13 codes of the Base de données publique des médicaments (BDPM, ANSM), file
# CIS_CIP_bdpm.txt (CIP13 per presentation) joined to CIS_bdpm.txt (specialty), as found in a
# public BDPM extract (Kotlin « MedicationDbEntry » table, « cross-checked against the live BDPM
# flat files on 2026-07-13 ») and, for each, in at least one other independent listing
# (wholesalers' price lists, BDPM import fixtures): see tests/pharmacy/test_codes.py.
# The codes first written here from memory for Dafalgan (3400936404649), Efferalgan
# (3400936403253) and Spasfon (3400930049358) matched no BDPM listing found: replaced.
DOLIPRANE_1G = "3400935955838"     # DOLIPRANE 1000 mg, comprimé (CIS 60234100), CIP7 3595583
DAFALGAN_1G = "3400930170441"      # DAFALGAN 1000 mg, comprimé pelliculé (CIS 62887947)
DOLIPRANE_500 = "3400932320189"    # DOLIPRANE 500 mg, comprimé (CIS 63368332), boîte de 16
SPASFON = "3400930986080"          # SPASFON, comprimé enrobé (CIS 68081368), boîte de 30
BAD_KEY = "3400935955831"          # Doliprane's code with its key changed (8 → 1)
UCD_PARACETAMOL = "3400890000017"  # UCD13 of the demo tables (valid key)
LONG_UNIT = "UF-" + "MEDECINE-INTERNE-ET-MALADIES-INFECTIEUSES-TROPICALES-SECT-B2X"  # 64


def pharmacy_records(unit: str = "CHD") -> list:
    """Products in zones B10, A2, A10, none; faults: bad key, no supplier, unknown supplier,
    a dotation naming a product missing from the catalogue, a unit missing from the directory."""
    other = LONG_UNIT if unit != LONG_UNIT else "CHD"   # another unit's line, not listed
    return [
        Supplier("F001", name="Laboratoires Dupré", phone="01 23 45 67 89",
                 email="commandes@dupre.fr", order_contact="Mme Lefèvre"),
        Product(DOLIPRANE_1G, label="Doliprane 1000 mg", form="comprimé",
                packaging="boîte de 8", supplier_id="F001", supplier_ref="DOL-1G",
                storage_zone="B10"),
        Product(DAFALGAN_1G, label="Dafalgan 1 g", form="comprimé pelliculé",
                packaging="boîte de 8", supplier_id="F001", storage_zone="A10"),
        Product(DOLIPRANE_500, label="Doliprane 500 mg", form="comprimé",
                packaging="boîte de 16", supplier_id="", storage_zone="A2"),
        Product(SPASFON, label="Spasfon", form="comprimé enrobé", packaging="boîte de 30",
                supplier_id="F999", storage_zone=""),
        Product(BAD_KEY, label="Produit au code faux", form="gélule", supplier_id="F001",
                storage_zone="a2"),
        WardStock(f"{unit}-{DOLIPRANE_1G}", unit=unit, product_id=DOLIPRANE_1G, quantity=40),
        WardStock(f"{unit}-{DAFALGAN_1G}", unit=unit, product_id=DAFALGAN_1G, quantity=12),
        WardStock(f"{unit}-{DOLIPRANE_500}", unit=unit, product_id=DOLIPRANE_500, quantity=7),
        WardStock(f"{unit}-{SPASFON}", unit=unit, product_id=SPASFON, quantity=3),
        WardStock(f"{unit}-{BAD_KEY}", unit=unit, product_id=BAD_KEY, quantity=5),
        WardStock(f"{unit}-9999999", unit=unit, product_id="9999999", quantity=2),
        WardStock(f"{other}-{SPASFON}", unit=other, product_id=SPASFON, quantity=1),
        Supplier("F002", name="Répartition Sans-Contact"),
        Product(UCD_PARACETAMOL, label="Paracétamol 500 mg", form="comprimé",
                packaging="boîte de 100", supplier_id="F002", storage_zone="C1"),
        *order_history(),
        *request_history(unit),
    ]


def request_history(unit: str = "CHD") -> list[WardRequestLine]:
    """CHD asked for Paracétamol 500 (not in its dotation) twice, last 15; Doliprane once."""
    at = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)
    return [
        WardRequestLine(f"{unit}-P1", unit=unit, product_id=UCD_PARACETAMOL, quantity=10,
                        requested_at=at, request_number="DEM-1"),
        WardRequestLine(f"{unit}-D1", unit=unit, product_id=DOLIPRANE_1G, quantity=20,
                        requested_at=at, request_number="DEM-1"),
        WardRequestLine(f"{unit}-P2", unit=unit, product_id=UCD_PARACETAMOL, quantity=15,
                        requested_at=at + dt.timedelta(days=3), request_number="DEM-2"),
        WardRequestLine("AUTRE-P", unit="AUTRE", product_id=SPASFON, quantity=99,
                        requested_at=at),
    ]


def order_history() -> list[SupplierOrderLine]:
    """Doliprane ordered 3 times (100, 30 + 20 in one order, 45), Dafalgan once (20)."""
    at = dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC)
    return [
        SupplierOrderLine("CMD-1-D", order_number="CMD-1", product_id=DOLIPRANE_1G,
                          quantity=100, ordered_at=at),
        SupplierOrderLine("CMD-1-F", order_number="CMD-1", product_id=DAFALGAN_1G,
                          quantity=20, ordered_at=at),
        SupplierOrderLine("CMD-2-D", order_number="CMD-2", product_id=DOLIPRANE_1G,
                          quantity=30, ordered_at=at + dt.timedelta(days=7)),
        SupplierOrderLine("CMD-2-D2", order_number="CMD-2", product_id=DOLIPRANE_1G,
                          quantity=20, ordered_at=at + dt.timedelta(days=7)),
        SupplierOrderLine("CMD-3-D", order_number="CMD-3", product_id=DOLIPRANE_1G,
                          quantity=45, ordered_at=at + dt.timedelta(days=14),
                          supplier_id="F001"),
        SupplierOrderLine("CMD-9-P", order_number="CMD-9", product_id=UCD_PARACETAMOL,
                          quantity=10, ordered_at=at),
    ]


def sample_order_form(supplier: str = "F001",
                      address: tuple[str, ...] = ("Pharmacie à usage intérieur, quai 3",
                                                  "12 rue de l'Hôpital",
                                                  "76800 Saint-Étienne-du-Rouvray")):
    """The order form of ``supplier`` built from :func:`pharmacy_records`."""
    from pcsauvegarde.station.pharmacy.orders import build as build_order
    records = pharmacy_records()
    found = next(r for r in records if isinstance(r, Supplier) and r.id == supplier)
    return build_order(found, [r for r in records if isinstance(r, Product)],
                       [r for r in records if isinstance(r, SupplierOrderLine)], address)


def sample_ward_stock(unit: str = "CHD", name: str = "Cardiologie") -> WardStockList:
    """The dotation of ``unit`` built from :func:`pharmacy_records`."""
    records = pharmacy_records(unit)
    return build(unit, name, [r for r in records if isinstance(r, WardStock)],
                 {r.id: r for r in records if isinstance(r, Product)},
                 {r.id: r for r in records if isinstance(r, Supplier)})


def directory(unit: str = "CHD", name: str = "Cardiologie") -> list:
    return [Unit(unit, name=name, phone="4521")]


def sample_request_form(unit: str = "CHD", name: str = "Cardiologie",
                        known: tuple[str, ...] = ("CHD",)):
    """The request form of ``unit`` built from :func:`pharmacy_records`."""
    from pcsauvegarde.station.pharmacy.requests import build as build_request
    records = pharmacy_records(unit)
    return build_request(unit, name, [r for r in records if isinstance(r, WardStock)],
                         [r for r in records if isinstance(r, WardRequestLine)],
                         {r.id: r for r in records if isinstance(r, Product)},
                         {r.id: r for r in records if isinstance(r, Supplier)}, set(known))


def catalogue_of(unit: str = "CHD"):
    """(ward stock, products by id, suppliers by id) of :func:`pharmacy_records`."""
    records = pharmacy_records(unit)
    return ([r for r in records if isinstance(r, WardStock)],
            {r.id: r for r in records if isinstance(r, Product)},
            {r.id: r for r in records if isinstance(r, Supplier)})


def staff() -> list[StaffEntry]:
    """A cardiologist, a nurse of a unit missing from the directory, one with no phone."""
    return [StaffEntry("10001234567", name="Dr Étienne Cœur", role="cardiologue", unit="CHD",
                       phone="4522"),
            StaffEntry("M-778", name="Inès Martin-Delacroix", role="IDE", unit="REA-2",
                       phone="bip 318"),
            StaffEntry("M-900", name="Paul Sans-Téléphone", role="aide-soignant", unit="CHD")]


def dpi_records(unit: str = "CHD") -> list:
    """One inpatient of ``unit`` with an allergy, a fixed-time order, a verbatim one, a stopped
    one (starting yesterday: active whenever the test runs)."""
    from pcsauvegarde.core.records import Allergy, MedicationOrder, Patient, Stay, Timing
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    ipp = "IPP-PH-0001"
    return [
        Patient(ipp, "Delacroix-Saint-Aubin", "Marguerite", dt.date(1941, 6, 9), "F"),
        Stay("NDA-PH-0001", ipp, unit, start, room="7", bed="A"),
        Allergy("al-ph", ipp, "Pénicilline", "œdème de Quincke", "sévère"),
        MedicationOrder("mo-1", ipp, "Doliprane 1000 mg", "1", Timing("fixed_times",
                        times=("08:00", "20:00")), start, "comprimé", "PO",
                        code=DOLIPRANE_1G, prescriber="Dr Cœur"),
        MedicationOrder("mo-2", ipp, "Héparine sodique", "selon protocole", Timing(
            "text", text="selon anti-Xa, 2 à 4 fois par jour"), start, "", "SC"),
        MedicationOrder("mo-3", ipp, "Kardégic", "75", Timing("times_per_day", per_day=1),
                        start, "mg", "PO", status="stopped"),
    ]
