"""CIP13/UCD13 check keys (EAN-13), against codes published in the BDPM.

Source of the real codes: the ANSM's Base de données publique des médicaments (BDPM), file
CIS_CIP_bdpm.txt (one CIP13 per presentation), as reproduced by a public BDPM extract (a
Kotlin « MedicationDbEntry » table joining CIS_bdpm.txt and CIS_CIP_bdpm.txt, « cross-checked
against the live BDPM flat files on 2026-07-13 »). Doliprane 1000 mg (3400935955838), Doliprane
500 mg (3400932320189) and Spasfon (3400930986080) also appear, with the same presentation, in
wholesalers' price lists and in BDPM import fixtures of other public repositories (the CIS_CIP
line of Doliprane 1000 mg: CIP7 3595583 / plaquette de 8 / CIP13 3400935955838). The search
was made with the project's code search over public repositories on 30/11/2026; the BDPM files
themselves (base-donnees-publique.medicaments.gouv.fr) were not downloaded.
"""

from __future__ import annotations

import pytest

from pcsauvegarde.core.pharmacy_codes import (
    ProductCodeError,
    check_product_code,
    ean13_check_digit,
    product_code_problem,
)
from tests.support.pharmacy import BAD_KEY, DAFALGAN_1G, DOLIPRANE_1G, DOLIPRANE_500, SPASFON

# (CIP13, BDPM denomination, CIS) of the extract cited above, beyond the support's four
PUBLISHED = [
    ("3400932959358", "ADVIL 200 mg, comprimé enrobé", "68634000"),
    ("3400935655769", "AERIUS 5 mg, comprimé pelliculé", "61833327"),
    ("3400938571905", "IMODIUMCAPS 2 mg, gélule", "61203061"),
    ("3400933964351", "NUROFEN 200 mg, comprimé enrobé", "60305960"),
    ("3400932351176", "VOLTARENE 50 mg, comprimé enrobé gastro-résistant", "62431527"),
    ("3400932644551", "XANAX 0,50 mg, comprimé sécable", "60647049"),
]


@pytest.mark.parametrize("code", [DOLIPRANE_1G, DAFALGAN_1G, DOLIPRANE_500, SPASFON,
                                  *(c for c, _, _ in PUBLISHED)])
def test_published_cip13_codes_are_valid(code: str) -> None:
    assert check_product_code(code) == "CIP13"
    assert ean13_check_digit(code[:12]) == int(code[12])


def test_cip13_is_34009_then_the_cip7_then_its_key() -> None:
    # BDPM gives both codes of a presentation: Doliprane 1000 mg is CIP7 3595583
    assert DOLIPRANE_1G == "34009" + "3595583" + str(ean13_check_digit("340093595583"))


def test_gs1_example_and_ucd13() -> None:
    assert ean13_check_digit("400638133393") == 1          # GS1's textbook EAN-13
    assert check_product_code("3400890000017") == "UCD13"  # demo tables' UCD13 codes
    assert check_product_code("9213718") == "CIP7/UCD7"    # 7 digits: no key to check


@pytest.mark.parametrize("position", range(13))
def test_any_single_digit_change_is_caught(position: int) -> None:
    digit = int(DOLIPRANE_1G[position])
    wrong = DOLIPRANE_1G[:position] + str((digit + 1) % 10) + DOLIPRANE_1G[position + 1:]
    with pytest.raises(ProductCodeError):
        check_product_code(wrong)


def test_wrong_key_message_names_code_and_expected_key() -> None:
    assert product_code_problem(BAD_KEY) == (
        f"code CIP13 « {BAD_KEY} » : clé de contrôle fausse (1 lu, 8 attendu)")
    assert product_code_problem(DOLIPRANE_1G) is None


@pytest.mark.parametrize("code", ["", "34009359558", "340093595583X", "12345678",
                                  "3400 935955838"])
def test_bad_shapes_are_refused_in_french(code: str) -> None:
    with pytest.raises(ProductCodeError, match="7 ou 13 chiffres"):
        check_product_code(code)


def test_13_digits_outside_3400_are_not_cip() -> None:
    with pytest.raises(ProductCodeError, match="commence par 3400"):
        check_product_code("4006381333931")


def test_demo_catalogue_is_a_few_hundred_valid_codes() -> None:
    import datetime as dt

    from pcsauvegarde.core.records import (
        Product,
        StaffEntry,
        SupplierOrderLine,
        WardRequestLine,
        WardStock,
    )
    from pcsauvegarde.demo.pharmacy import demo_pharmacy
    from pcsauvegarde.demo.tables import UNITS

    records = demo_pharmacy(dt.datetime(2026, 11, 27, tzinfo=dt.UTC))
    products = [r for r in records if isinstance(r, Product)]
    assert len(products) >= 250
    assert {check_product_code(p.id) for p in products} == {"UCD13"}
    assert {r.unit for r in records if isinstance(r, WardStock)} == {u.code for u in UNITS}
    assert any(isinstance(r, SupplierOrderLine) for r in records)
    # every unit asked for products beyond its dotation: its request form lists them too
    dotation = {(r.unit, r.product_id) for r in records if isinstance(r, WardStock)}
    extras = {r.unit for r in records if isinstance(r, WardRequestLine)
              and (r.unit, r.product_id) not in dotation}
    assert extras == {u.code for u in UNITS}
    assert {r.unit for r in records if isinstance(r, StaffEntry)} >= {u.code for u in UNITS}
