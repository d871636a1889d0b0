"""The publisher's encoding fast paths give the same canonical lines as the plain code."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random

from pcsauvegarde.core import records
from pcsauvegarde.core.package.seal import dumps_line
from pcsauvegarde.publisher.lines import record_line
from tests.support.records import valid_records


def reference_dict(record) -> dict:
    out = {"type": record.TYPE}
    for f in dataclasses.fields(record):
        out[f.name] = records._encode(getattr(record, f.name))
    return out


def test_to_dict_matches_field_by_field_encoding():
    paris = dt.timezone(dt.timedelta(hours=1))
    odd = records.Stay("N1", "P1", "U1", dt.datetime(2026, 3, 1, 8, 30, 15, 999, tzinfo=paris),
                       discharge=None)
    for record in [*valid_records(), odd]:
        assert list(record.to_dict().items()) == list(reference_dict(record).items())


def test_format_utc_matches_strftime():
    rng = random.Random(7)
    zones = [dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5))]
    for _ in range(5000):
        value = dt.datetime(rng.randint(2, 9998), rng.randint(1, 12), rng.randint(1, 28),
                            rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                            rng.choice([0, 123456]), tzinfo=rng.choice(zones))
        expected = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert records.format_utc(value) == expected


def test_dumps_line_is_compact_utf8_json():
    for record in valid_records():
        data = record.to_dict()
        assert dumps_line(data) == json.dumps(data, ensure_ascii=False,
                                              separators=(",", ":")).encode() + b"\n"
    data = {"a": "é\u2028\"\n", "b": [1.5, True, None, -0.0, 10 ** 30]}
    assert dumps_line(data) == json.dumps(data, ensure_ascii=False,
                                          separators=(",", ":")).encode() + b"\n"


def test_record_line_equals_the_encoded_dict():
    odd = [records.Patient("P\"1", "D'UPONT \\ «x»", "Zoé\u2028\x01", dt.date(5, 1, 2), "F",
                           deceased=True),
           records.WardStock("W1", "U1", "9000001", 12),
           records.Stay("N1", "P1", "U1", dt.datetime(2026, 3, 1, 8, 30, 15, 999,
                                                      tzinfo=dt.timezone(dt.timedelta(hours=1))),
                        discharge=None),
           records.Stay("N2", "P1", "U1", "pas une date", room=None),  # unchecked values
           records.Product("9000002", "Produit", form=3.5)]
    for record in [*valid_records(), *odd]:
        assert record_line(record) == dumps_line(record.to_dict()), record
