"""The quick record check: it may only accept what record_from_dict accepts."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from pcsauvegarde.core import record_check, records
from tests.support.records import valid_records

UTC = dt.UTC


BAD_VALUES = [None, 0, 1, -1, True, 1.5, "", " ", "x" * 4001, "a\nb", "\x00", "\u0085", [],
              {}, ["08:00"], "2026-11-27", "2026-11-27T08:30:00", "2026-11-27T08:30:00+02:00",
              "2026-13-27T08:30:00Z", "27/11/2026", "M", "Q", "H", "HH", "qualifiée",
              "123456789012345", "1" * 15, "récupérée", "given", "nope"]


def outcome(data: dict) -> str:
    try:
        records.record_from_dict(data)
    except records.RecordError as exc:
        return str(exc)
    return "ok"


def variants(data: dict, rng: random.Random):
    """The record with each field removed, replaced by odd values, plus unknown fields."""
    for key in data:
        if key != "type":
            yield {k: v for k, v in data.items() if k != key}
            for bad in BAD_VALUES:
                yield {**data, key: bad}
    yield {**data, "extra": "x"}
    for key, value in data.items():  # nested objects (a timing, a tray's lines), field by field
        nested = value if isinstance(value, dict) else (
            value[0] if isinstance(value, list) and value and isinstance(value[0], dict)
            else None)
        if nested is None:
            continue
        wrap = (lambda obj: obj) if nested is value else (lambda obj, v=value: [*v, obj])
        yield {**data, key: wrap({**nested, "extra": "x"})}
        for inner in nested:
            yield {**data, key: wrap({k: v for k, v in nested.items() if k != inner})}
            for bad in BAD_VALUES:
                yield {**data, key: wrap({**nested, inner: bad})}
    for _ in range(200):
        mutated = dict(data)
        for key in rng.sample(sorted(data), k=min(3, len(data))):
            if key != "type":
                mutated[key] = rng.choice(BAD_VALUES)
        yield mutated


@pytest.mark.parametrize("record", valid_records(), ids=lambda r: r.TYPE)
def test_quick_check_never_accepts_what_the_reference_refuses(record):
    check = record_check.quick_check(type(record))
    data = record.to_dict()
    assert outcome(data) == "ok"
    if check is None:
        return
    assert check(data) is True
    short = record_check.quick_check(type(record), short=True)
    rng = random.Random(record.TYPE)
    for variant in variants(data, rng):
        if check(variant):
            assert outcome(variant) == "ok", variant
        if len(json.dumps(variant, ensure_ascii=False)) <= record_check.SHORT_LINE:
            assert short(variant) == check(variant), variant


def test_quick_checks_cover_the_bulk_types():
    assert {"lab_result", "patient", "stay", "allergy", "condition"} <= set(
        record_check.quick_checks("dpi")) | set(record_check.quick_checks("lab"))
    assert {"medication_order", "tray"} <= set(record_check.quick_checks("dpi")) | set(
        record_check.quick_checks("sterilisation"))  # nested: a timing, a tray's lines
    assert record_check.ipp_field("patient") == "id"
    assert record_check.ipp_field("unit") is None


@pytest.mark.parametrize(("merged", "valid"), [
    (["900001", "IPP-AB 2"], True), ([], True), (None, False), ([1], False), ("900001", False),
])
def test_quick_check_of_a_list_of_texts_agrees_with_the_reference(merged, valid):
    data = {"type": "patient", "id": "900002", "birth_name": "A", "first_names": "B",
            "birth_date": "2000-01-01", "sex": "F", "merged_ipps": merged}
    assert record_check.quick_check(records.Patient)(data) is valid
    if valid:
        assert records.record_from_dict(data).merged_ipps == tuple(merged)
    else:
        with pytest.raises(records.RecordError):
            records.record_from_dict(data)
