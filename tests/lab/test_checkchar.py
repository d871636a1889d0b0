"""Check characters against the examples their standards and registries publish."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcsauvegarde.station.lab.checkchar import (
    CheckError,
    is_valid,
    luhn,
    mod11_2,
    mod97_10,
    with_check,
)


@pytest.mark.parametrize(("body", "check"), [
    ("7992739871", "3"),          # the worked example of ISO/IEC 7812-1 annex B (Wikipedia)
    ("453914880343646", "7"),     # a Visa test card number, 4539 1488 0343 6467
    ("73282932", "0"),            # SIREN 732 829 320 (Luhn is the key of French SIREN)
    ("0", "0"),
])
def test_luhn_published_examples(body, check):
    assert luhn(body) == check
    assert is_valid(body + check, "luhn")


@pytest.mark.parametrize(("body", "check"), [
    ("000000021694233", "X"),     # ORCID 0000-0002-1694-233X (ORCID support page)
    ("000000015109370", "0"),     # ORCID 0000-0001-5109-3700
    ("000000021825009", "7"),     # ORCID 0000-0002-1825-0097
])
def test_iso7064_mod11_2_published_examples(body, check):
    assert mod11_2(body) == check


def test_iso7064_mod97_10_published_examples():
    assert mod97_10("794") == "44"          # the example of ISO 7064 itself
    # IBAN GB82 WEST 1234 5698 7654 32: BBAN with letters as numbers (W=32, E=14, S=28,
    # T=29), then the country (G=16, B=11): its check digits are the IBAN's « 82 »
    assert mod97_10("32142829" + "12345698765432" + "1611") == "82"


@given(st.text("0123456789", min_size=1, max_size=18), st.sampled_from(["luhn", "mod11",
                                                                         "mod97"]),
       st.data())
def test_every_single_digit_change_is_caught(body, algorithm, data):
    full = with_check(body, algorithm)
    assert is_valid(full, algorithm)
    i = data.draw(st.integers(0, len(body) - 1))
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != body[i]]))
    assert not is_valid(body[:i] + other + body[i + 1:] + full[len(body):], algorithm)


def test_unknown_algorithm_and_no_digits():
    with pytest.raises(CheckError, match="inconnu"):
        with_check("123", "crc")
    with pytest.raises(CheckError, match="aucun chiffre"):
        luhn("ABC")
