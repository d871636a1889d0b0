"""A fast acceptance test of record JSON objects, for the station's bulk ingest.

:func:`quick_check` answers "certainly valid" without building the record; ``False`` means
"not sure": the caller MUST then run :func:`pcsauvegarde.records.record_from_dict`, which stays
the one reference (it accepts or raises the French message naming the field). So a quick check
MUST only accept objects that ``record_from_dict`` accepts; it may refuse more (tested).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable

from pcsauvegarde.core import records

QuickCheck = Callable[[dict], bool]
_SCALAR = (str, int, bool)  # kinds whose decoded value is the JSON value itself


def _kind(hint: typing.Any) -> tuple[typing.Any, bool] | None:
    """(scalar type, optional) of a field hint, or None when it is a list or nested object."""
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            return None
        hint, optional = args[0], True
    if hint in (str, int, bool, float, dt.datetime, dt.date):
        return hint, optional
    if typing.get_origin(hint) is tuple and typing.get_args(hint) == (str, ...):
        return list, optional  # a list of texts (patient.merged_ipps)
    return None


def _names_in(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_in(const)
    return names


_TESTS = {
    str: "type(v) is str and len(v) <= 4000",
    int: "type(v) is int",
    bool: "type(v) is bool",
    float: "(type(v) is int or type(v) is float)",
    list: "v is M or (type(v) is list and all(type(x) is str and len(x) <= 4000 for x in v))",
}


@functools.cache
def quick_check(cls: type[records.Record], short: bool = False) -> QuickCheck | None:
    """The generated quick check of one record class; None when it has no fast form.

    A class has one when its fields are scalars (text, numbers, booleans, dates) and its
    ``check()`` reads only text, integer or boolean fields: ``check()`` then runs on an
    instance filled with the JSON values themselves, which are what decoding would give.
    ``short=True``: for an object parsed from a JSON line of at most 4000 characters, whose
    strings cannot be longer than that (the 4000-character text limit is then not tested).
    """
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    found = {f.name: _kind(hints[f.name]) for f in fields}
    kinds = {name: kind for name, kind in found.items() if kind is not None}
    if len(kinds) != len(found):
        return None
    run_check = cls.check is not records.Record.check
    if run_check:
        read = _names_in(cls.check.__code__) & set(kinds)
        if any(kinds[n][0] not in _SCALAR or kinds[n][1] for n in read):
            return None
    env: dict[str, typing.Any] = {
        "names": frozenset(kinds) | {"type"}, "M": dataclasses.MISSING, "cls": cls,
        "new": object.__new__, "RecordError": records.RecordError,
        "datetime": dt.datetime.fromisoformat, "date": dt.date.fromisoformat}
    body = ["def quick(data):",
            "    if not names.issuperset(data): return False",
            "    get = data.get",
            "    v = get('id')",  # records._ID, narrowed: isprintable() refuses every Cc char
            "    if type(v) is not str or not 0 < len(v) <= 128 or not v.isprintable():",
            "        return False"]
    for f in fields:
        if f.name == "id":
            continue
        kind, optional = kinds[f.name]
        if kind is list:
            body.append(f"    v = get({f.name!r}, M)")  # absent: the default, never null
        elif f.default is not dataclasses.MISSING:
            env[f"d_{f.name}"] = f.default
            body.append(f"    v = get({f.name!r}, d_{f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            return None
        else:
            body.append(f"    v = get({f.name!r}, M)")
        indent = "    "
        if optional:
            body.append("    if v is not None:")
            indent = "        "
        if kind in _TESTS:
            test = "type(v) is str" if short and kind is str else _TESTS[kind]
            body.append(f"{indent}if not ({test}): return False")
        else:  # a date or an aware datetime, as the decoders parse them
            parse = "date" if kind is dt.date else "datetime"
            tz = "" if kind is dt.date else ".tzinfo is None"
            body += [f"{indent}try:",
                     f"{indent}    if {parse}(v){tz}: return False" if tz else
                     f"{indent}    {parse}(v)",
                     f"{indent}except (TypeError, ValueError): return False"]
    if run_check:
        body += ["    obj = new(cls)", "    obj.__dict__.update(data)",
                 "    try: obj.check()", "    except RecordError: return False"]
    body.append("    return True")
    exec("\n".join(body), env)  # noqa: S102 - generated from our own dataclass fields only
    return env["quick"]


SHORT_LINE = 4000  # characters: no string in such a line can break the text limit


def quick_checks(domain: str, short: bool = False) -> dict[str, QuickCheck]:
    """Quick checks of the record types of one domain, by type name (types without one left out)."""
    out = {}
    for name in records.types_of_domain(domain):
        cls: type = records.RECORD_TYPES[name]  # as ``type``: see Record.to_dict
        check = quick_check(cls, short)
        if check is not None:
            out[name] = check
    return out


def ipp_field(name: str) -> str | None:
    """The JSON field holding the patient's IPP for a record type (``id`` for a patient)."""
    if name == "patient":
        return "id"
    cls = records.RECORD_TYPES[name]
    return "ipp" if "ipp" in {f.name for f in dataclasses.fields(cls)} else None
