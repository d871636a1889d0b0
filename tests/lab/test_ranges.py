"""A misconfigured lab range is refused at load, naming the setting and what is wrong."""

from __future__ import annotations

import pytest

from pcsauvegarde.core.numberrange import overlapping
from pcsauvegarde.station.lab.ranges import parse_lab_range
from pcsauvegarde.station.settings import ConfigError, load_settings
from pcsauvegarde.station.state.numbering import NumberingError, parse_range


def test_lab_number_has_the_lis_length_with_its_check():
    rng = parse_lab_range("L9500001-L9599999", 10, "mod97", 2)
    assert rng.length == 10 and rng.number("L9500001") == "L950000153"
    assert rng.tube("L950000153", 3) == "L95000015303"
    assert "clé ISO 7064 MOD 97-10" in rng.describe()


@pytest.mark.parametrize(("values", "message"), [
    ({"lab_range": "9500001-9599999", "lab_number_length": 10, "lab_check": "luhn"},
     "numéros de 8 caractères .* en attend 10"),
    ({"lab_range": "9500001-9500050"}, "trop courte"),
    ({"lab_range": "95-9599999"}, "même préfixe et la même longueur"),
    ({"lab_range": "9599999-9500001"}, "début après la fin"),
    ({"lab_range": "9500001-9599999", "lab_check": "crc"}, "lab_check « crc » inconnu"),
    ({"lab_range": "9500001-9599999", "lab_tube_suffix_digits": 3}, "hors limites"),
    ({"lab_range": "90500000-90599999"}, "« provisional_ipp_range » et « lab_range » se "
                                         "chevauchent"),
])
def test_misconfigured_ranges_are_refused_at_load(tmp_path, values, message):
    with pytest.raises(ConfigError, match=message) as err:
        load_settings(tmp_path, values)
    assert "station.toml" in str(err.value)


def test_a_good_lab_range_loads(tmp_path):
    s = load_settings(tmp_path, {"lab_range": "9500001-9599999", "lab_number_length": 8,
                                 "lab_check": "luhn"})
    assert s.lab_range == "9500001-9599999" and s.high_water_path.parent == s.data_dir


def test_overlapping_pairs_are_named_once():
    ranges = [("a", parse_range("x", "100-199")), ("b", parse_range("x", "150-250")),
              ("c", parse_range("x", "200-299")), ("d", parse_range("x", "L10-L99"))]
    assert overlapping(ranges) == [("a", "b"), ("b", "c")]


def test_range_errors_are_numbering_errors():
    with pytest.raises(NumberingError):
        parse_lab_range("abc")
