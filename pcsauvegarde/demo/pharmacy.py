"""The demo PUI: a few hundred products with valid UCD13 codes, suppliers, dotations, orders."""

from __future__ import annotations

import datetime as dt
import random

from pcsauvegarde.core.pharmacy_codes import ean13_check_digit
from pcsauvegarde.core.records import (
    Product,
    Record,
    StaffEntry,
    Supplier,
    SupplierOrderLine,
    WardRequestLine,
    WardStock,
)
from pcsauvegarde.demo.tables import DRUGS, NURSES, UNITS

SUPPLIERS = (
    ("F001", "Laboratoires Dupré", "01 23 45 67 89", "commandes@dupre.example", "Mme Lefèvre"),
    ("F002", "Pharma Atlantique", "02 40 11 22 33", "adv@pharma-atlantique.example",
     "M. Le Goff"),
    ("F003", "Répartition Hospitalière du Nord", "03 20 44 55 66",
     "hopitaux@rhn.example", "Service clients hôpitaux"),
    ("F004", "Solutés et Perfusions SA", "04 72 10 20 30", "commandes@sp-sa.example",
     "Mme Benali"),
    ("F005", "Dispositifs Médicaux de l'Est", "03 88 00 11 22", "adv@dme.example",
     "M. Schmitt"),
)
# molecule, strengths, form, packaging, storage aisle (the picker walks A → F)
MOLECULES = (
    ("Paracétamol", ("500 mg", "1 g"), "comprimé", "boîte de 100", "A"),
    ("Ibuprofène", ("200 mg", "400 mg"), "comprimé", "boîte de 30", "A"),
    ("Kétoprofène", ("50 mg", "100 mg"), "gélule", "boîte de 24", "A"),
    ("Tramadol", ("50 mg", "100 mg"), "gélule", "boîte de 30", "A"),
    ("Oxycodone", ("5 mg", "10 mg", "20 mg"), "gélule", "boîte de 28", "A"),
    ("Morphine sulfate", ("10 mg", "30 mg", "60 mg"), "gélule LP", "boîte de 14", "A"),
    ("Amoxicilline", ("500 mg", "1 g"), "gélule", "boîte de 12", "B"),
    ("Amoxicilline/acide clavulanique", ("500 mg/62,5 mg", "1 g/125 mg"), "comprimé",
     "boîte de 16", "B"),
    ("Ceftriaxone", ("1 g", "2 g"), "poudre pour solution injectable", "boîte de 10", "B"),
    ("Céfazoline", ("1 g", "2 g"), "poudre pour solution injectable", "boîte de 25", "B"),
    ("Ciprofloxacine", ("250 mg", "500 mg"), "comprimé", "boîte de 10", "B"),
    ("Métronidazole", ("250 mg", "500 mg"), "comprimé", "boîte de 20", "B"),
    ("Vancomycine", ("500 mg", "1 g"), "poudre pour perfusion", "boîte de 10", "B"),
    ("Gentamicine", ("40 mg", "80 mg", "160 mg"), "solution injectable", "boîte de 10", "B"),
    ("Énoxaparine", ("2 000 UI", "4 000 UI", "6 000 UI", "8 000 UI"), "seringue",
     "boîte de 10", "C"),
    ("Héparine sodique", ("5 000 UI/mL", "25 000 UI/5 mL"), "solution injectable",
     "boîte de 10", "C"),
    ("Apixaban", ("2,5 mg", "5 mg"), "comprimé", "boîte de 60", "C"),
    ("Rivaroxaban", ("10 mg", "15 mg", "20 mg"), "comprimé", "boîte de 28", "C"),
    ("Furosémide", ("20 mg", "40 mg", "500 mg"), "comprimé", "boîte de 30", "C"),
    ("Bisoprolol", ("1,25 mg", "2,5 mg", "5 mg", "10 mg"), "comprimé", "boîte de 30", "C"),
    ("Amlodipine", ("5 mg", "10 mg"), "gélule", "boîte de 30", "C"),
    ("Ramipril", ("1,25 mg", "2,5 mg", "5 mg", "10 mg"), "gélule", "boîte de 30", "C"),
    ("Atorvastatine", ("10 mg", "20 mg", "40 mg", "80 mg"), "comprimé", "boîte de 30", "C"),
    ("Amiodarone", ("200 mg",), "comprimé", "boîte de 30", "C"),
    ("Oméprazole", ("10 mg", "20 mg", "40 mg"), "gélule", "boîte de 28", "D"),
    ("Pantoprazole", ("20 mg", "40 mg"), "comprimé", "boîte de 28", "D"),
    ("Ondansétron", ("4 mg", "8 mg"), "comprimé orodispersible", "boîte de 10", "D"),
    ("Métoclopramide", ("10 mg",), "comprimé", "boîte de 40", "D"),
    ("Macrogol 4000", ("4 g", "10 g"), "poudre en sachet", "boîte de 20", "D"),
    ("Lactulose", ("10 g/15 mL",), "solution buvable en sachet", "boîte de 20", "D"),
    ("Lopéramide", ("2 mg",), "gélule", "boîte de 20", "D"),
    ("Insuline asparte", ("100 UI/mL",), "stylo prérempli", "boîte de 5", "E"),
    ("Insuline glargine", ("100 UI/mL", "300 UI/mL"), "stylo prérempli", "boîte de 5", "E"),
    ("Metformine", ("500 mg", "850 mg", "1 000 mg"), "comprimé", "boîte de 30", "E"),
    ("Lévothyroxine", ("25 µg", "50 µg", "75 µg", "100 µg"), "comprimé", "boîte de 30", "E"),
    ("Prednisolone", ("5 mg", "20 mg"), "comprimé orodispersible", "boîte de 20", "E"),
    ("Méthylprednisolone", ("40 mg", "120 mg"), "poudre pour solution injectable",
     "boîte de 1", "E"),
    ("Hydrocortisone", ("10 mg", "100 mg"), "comprimé", "boîte de 25", "E"),
    ("Oxazépam", ("10 mg", "50 mg"), "comprimé", "boîte de 30", "E"),
    ("Zopiclone", ("3,75 mg", "7,5 mg"), "comprimé", "boîte de 14", "E"),
    ("Halopéridol", ("1 mg", "5 mg"), "comprimé", "boîte de 30", "E"),
    ("Chlorure de sodium 0,9 %", ("10 mL", "100 mL", "250 mL", "500 mL", "1 000 mL"),
     "solution pour perfusion", "carton de 20", "F"),
    ("Glucose 5 %", ("100 mL", "250 mL", "500 mL", "1 000 mL"), "solution pour perfusion",
     "carton de 20", "F"),
    ("Glucose 30 %", ("10 mL", "20 mL"), "solution injectable", "boîte de 50", "F"),
    ("Ringer lactate", ("500 mL", "1 000 mL"), "solution pour perfusion", "carton de 10",
     "F"),
    ("Chlorure de potassium", ("10 %, 10 mL", "15 %, 10 mL", "1 g/10 mL"),
     "solution à diluer", "boîte de 50", "F"),
    ("Sulfate de magnésium", ("15 %, 10 mL",), "solution injectable", "boîte de 10", "F"),
    ("Noradrénaline", ("8 mg/4 mL", "16 mg/8 mL"), "solution à diluer", "boîte de 10", "F"),
    ("Propofol", ("1 %, 20 mL", "1 %, 50 mL", "2 %, 50 mL"), "émulsion injectable",
     "boîte de 10", "F"),
    ("Midazolam", ("5 mg/1 mL", "5 mg/5 mL", "50 mg/10 mL"), "solution injectable",
     "boîte de 10", "F"),
    ("Sufentanil", ("10 µg/2 mL", "50 µg/10 mL", "250 µg/5 mL"), "solution injectable",
     "boîte de 10", "F"),
    ("Kétamine", ("50 mg/5 mL", "250 mg/5 mL"), "solution injectable", "boîte de 10", "F"),
    ("Néfopam", ("20 mg/2 mL",), "solution injectable", "boîte de 5", "F"),
    ("Pipéracilline/tazobactam", ("2 g/250 mg", "4 g/500 mg"), "poudre pour perfusion",
     "boîte de 10", "B"),
)
SUPPLIER_OF_AISLE = {"A": "F001", "B": "F002", "C": "F001", "D": "F003", "E": "F002",
                     "F": "F004"}


def ucd13(seven: int) -> str:
    """A UCD13 (« 34008 » + 7 digits + EAN-13 key)."""
    body = f"34008{seven:07d}"
    return body + str(ean13_check_digit(body))


def catalogue() -> list[Product]:
    """Every product: each molecule × strength, plus the drugs the demo prescribes."""
    products: dict[str, Product] = {}
    shelf: dict[str, int] = {}
    for label, code, *_ in DRUGS.values():   # prescribed drugs keep their codes
        products[code] = Product(code, label=label, packaging="boîte de 10",
                                 supplier_id="F003", supplier_ref=f"RHN-{code[-6:]}",
                                 storage_zone="D9")
    serial = 1000
    for molecule, strengths, form, packaging, aisle in MOLECULES:
        for strength in strengths:
            for pack in (packaging, "conditionnement hospitalier unitaire"):
                serial += 7
                shelf[aisle] = shelf.get(aisle, 0) + 1
                code = ucd13(9000000 + serial)
                supplier = SUPPLIER_OF_AISLE[aisle]
                products[code] = Product(
                    code, label=f"{molecule} {strength}, {form}", form=form, packaging=pack,
                    supplier_id=supplier, supplier_ref=f"{supplier}-{serial}",
                    storage_zone=f"{aisle}{1 + shelf[aisle] // 6}")
    return list(products.values())


# The PUI's and the units' people the directory lists (the demo DPI names no staff).
STAFF = (("PH-001", "Dr Nadia Benaïssa", "pharmacien gérant", "", "01 45 00 10 01"),
         ("PH-002", "Dr Olivier Tessier", "pharmacien", "", "01 45 00 10 02"),
         ("PPH-01", "Sabrina Lefort", "préparatrice en pharmacie", "", "01 45 00 10 05"))


def staff_directory() -> list[StaffEntry]:
    """The PUI's staff, then a nurse per unit (bips), for the directory."""
    entries = [StaffEntry(i, name=n, role=r, unit=u, phone=p) for i, n, r, u, p in STAFF]
    for number, (unit, nurse) in enumerate(zip(UNITS, NURSES, strict=False), start=1):
        entries.append(StaffEntry(f"IDE-{number:03d}", name=nurse, role="IDE référente",
                                  unit=unit.code, phone=f"bip {300 + number}"))
    return entries


def demo_pharmacy(now: dt.datetime, seed: int = 1) -> list[Record]:
    """Suppliers, products, each unit's dotation and past requests, six weeks of weekly
    past orders, and the staff directory."""
    rng = random.Random(seed)
    products = catalogue()
    records: list[Record] = [Supplier(c, name=n, phone=p, email=e, order_contact=o)
                             for c, n, p, e, o in SUPPLIERS]
    records += products
    for unit in UNITS:
        for product in rng.sample(products, 45):
            records.append(WardStock(f"{unit.code}-{product.id}", unit=unit.code,
                                     product_id=product.id, quantity=rng.choice(
                                         (2, 3, 5, 5, 10, 10, 20, 30, 50))))
    for week in range(1, 7):
        at = now - dt.timedelta(weeks=week)
        number = f"CMD-{at:%Y%m%d}"
        for product in rng.sample(products, 60):
            records.append(SupplierOrderLine(
                f"{number}-{product.id}", order_number=f"{number}-{product.supplier_id}",
                product_id=product.id, quantity=rng.choice((10, 20, 20, 40, 50, 100)),
                ordered_at=at))
    by_code = {p.id: p for p in products}
    for unit in UNITS:   # twice a week for three weeks: dotation top-ups, then extras
        own = [by_code[r.product_id] for r in records
               if isinstance(r, WardStock) and r.unit == unit.code]
        for n in range(6):
            at = now - dt.timedelta(days=3 + 3.5 * n)
            number = f"DEM-{unit.code}-{at:%Y%m%d}"
            asked = {p.id: p for p in rng.sample(own, 5) + rng.sample(products, 3)}
            for product in asked.values():
                records.append(WardRequestLine(
                    f"{number}-{product.id}", unit=unit.code, product_id=product.id,
                    quantity=rng.choice((2, 5, 10, 10, 20)), requested_at=at,
                    request_number=number))
    records += staff_directory()
    return records
