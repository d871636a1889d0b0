"""A small pharmacy extract: real CIP13 codes, demo UCD13 codes, and every catalogue fault."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Product, Supplier, SupplierOrderLine, Unit, WardStock
from pcsauvegarde.station.pharmacy.dotations import build
from pcsauvegarde.station.pharmacy.model import WardStockList

# CIP13 codes as published in the Base de données publique des médicaments (valid keys).
DOLIPRANE_1G = "3400935955838"     # Doliprane 1000 mg, comprimé, boîte de 8
DAFALGAN_1G = "3400936404649"      # Dafalgan 1 g, comprimé pelliculé, boîte de 8
EFFERALGAN_1G = "3400936403253"    # Efferalgan 1 g, comprimé effervescent, boîte de 8
SPASFON = "3400930049358"          # Spasfon, comprimé enrobé, boîte de 30
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
        Product(EFFERALGAN_1G, label="Efferalgan 1 g", form="comprimé effervescent",
                packaging="boîte de 8", supplier_id="", storage_zone="A2"),
        Product(SPASFON, label="Spasfon", form="comprimé enrobé", packaging="boîte de 30",
                supplier_id="F999", storage_zone=""),
        Product(BAD_KEY, label="Produit au code faux", form="gélule", supplier_id="F001",
                storage_zone="a2"),
        WardStock(f"{unit}-{DOLIPRANE_1G}", unit=unit, product_id=DOLIPRANE_1G, quantity=40),
        WardStock(f"{unit}-{DAFALGAN_1G}", unit=unit, product_id=DAFALGAN_1G, quantity=12),
        WardStock(f"{unit}-{EFFERALGAN_1G}", unit=unit, product_id=EFFERALGAN_1G, quantity=7),
        WardStock(f"{unit}-{SPASFON}", unit=unit, product_id=SPASFON, quantity=3),
        WardStock(f"{unit}-{BAD_KEY}", unit=unit, product_id=BAD_KEY, quantity=5),
        WardStock(f"{unit}-9999999", unit=unit, product_id="9999999", quantity=2),
        WardStock(f"{other}-{SPASFON}", unit=other, product_id=SPASFON, quantity=1),
        Supplier("F002", name="Répartition Sans-Contact"),
        Product(UCD_PARACETAMOL, label="Paracétamol 500 mg", form="comprimé",
                packaging="boîte de 100", supplier_id="F002", storage_zone="C1"),
        *order_history(),
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
