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
    """(kind, optional) of a field hint: a scalar type, ``list`` (texts), a nested dataclass,
    or ``(tuple, nested dataclass)``; None when it has no quick form."""
    optional = False
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) != 1:
            return None
        hint, optional = args[0], True
    if hint in (str, int, bool, float, dt.datetime, dt.date):
        return hint, optional
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return hint, optional  # a nested object (a medication order's timing)
    if typing.get_origin(hint) is tuple:
        items = typing.get_args(hint)
        if items == (str, ...):
            return list, optional  # a list of texts (patient.merged_ipps)
        if (len(items) == 2 and items[1] is ... and isinstance(items[0], type)
                and dataclasses.is_dataclass(items[0])):
            return (tuple, items[0]), optional  # a list of nested objects (a tray's lines)
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

    A class has one when its fields are scalars (text, numbers, booleans, dates), lists of
    texts, or nested objects (and lists of them) made of those. Its ``check()`` then runs on an
    instance filled with the JSON values themselves, which are what decoding would give, except
    for the fields it reads that decode to something else: dates and datetimes are parsed,
    nested objects built the same way (their own ``check`` is called by the record's).
    ``short=True``: for an object parsed from a JSON line of at most 4000 characters, whose
    strings cannot be longer than that (the 4000-character text limit is then not tested).
    """
    run_check = cls.check is not records.Record.check
    read = _names_in(cls.check.__code__) if run_check else set()
    env: dict[str, typing.Any] = {
        "M": dataclasses.MISSING, "new": object.__new__, "RecordError": records.RecordError,
        "datetime": dt.datetime.fromisoformat, "date": dt.date.fromisoformat}
    body = ["def quick(data):"]
    lines = _object_lines(cls, short, env, read, "r")
    if lines is None:
        return None
    body += lines
    if run_check:
        body += ["    obj = new(cls_r)", "    obj.__dict__.update(data)"]
        if any("decoded[" in line for line in lines):
            body.append("    obj.__dict__.update(decoded)")
        body += ["    try: obj.check()", "    except RecordError: return False"]
    body.append("    return True")
    exec("\n".join(body), env)  # noqa: S102 - generated from our own dataclass fields only
    return env["quick"]


def _nested(cls: type, short: bool, env: dict, prefix: str) -> str | None:
    """Define, in ``env``, a function building ``cls`` from a JSON object (raw values; None
    when not sure); return its name, or None when ``cls`` has no quick form."""
    name = f"build_{prefix}"
    body = [f"def {name}(data):", "    if type(data) is not dict: return None"]
    every = {f.name for f in dataclasses.fields(cls)}  # its owner's check() may read any
    lines = _object_lines(cls, short, env, every, prefix, fail="None", check_id=False)
    if lines is None:
        return None
    body += lines
    body += [f"    obj = new(cls_{prefix})", "    obj.__dict__.update(data)"]
    if any("decoded[" in line for line in lines):
        body.append("    obj.__dict__.update(decoded)")
    body.append("    return obj")
    exec("\n".join(body), env)  # noqa: S102 - generated from our own dataclass fields only
    return name


def _object_lines(cls: type, short: bool, env: dict, read: set[str], prefix: str,
                  fail: str = "False", check_id: bool = True) -> list[str] | None:
    """The body testing one JSON object ``data`` against ``cls``; fills ``decoded`` with the
    values of the fields in ``read`` whose decoded form is not the JSON value itself."""
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    found = {f.name: _kind(hints[f.name]) for f in fields}
    kinds = {name: kind for name, kind in found.items() if kind is not None}
    if len(kinds) != len(found):
        return None
    env[f"names_{prefix}"] = frozenset(kinds) | ({"type"} if check_id else set())
    env[f"cls_{prefix}"] = cls
    ret = f"return {fail}"
    body = [f"    if not names_{prefix}.issuperset(data): {ret}",
            "    get = data.get", "    decoded = {}"]
    if check_id:
        body += ["    v = get('id')",  # records._ID, narrowed: isprintable() refuses every Cc
                 "    if type(v) is not str or not 0 < len(v) <= 128 or not v.isprintable():",
                 f"        {ret}"]
    for n, f in enumerate(fields):
        if check_id and f.name == "id":
            continue
        kind, optional = kinds[f.name]
        if kind is list:
            body.append(f"    v = get({f.name!r}, M)")  # absent: the default, never null
        elif f.default is not dataclasses.MISSING:
            env[f"d_{prefix}_{f.name}"] = f.default
            body.append(f"    v = get({f.name!r}, d_{prefix}_{f.name})")
        elif f.default_factory is not dataclasses.MISSING:
            if not isinstance(kind, tuple) or f.default_factory() != ():
                return None
            body.append(f"    v = get({f.name!r}, ())")  # absent: no nested objects
        else:
            body.append(f"    v = get({f.name!r}, M)")
        indent = "    "
        if optional:
            body.append("    if v is not None:")
            indent = "        "
        if kind in _TESTS:
            test = "type(v) is str" if short and kind is str else _TESTS[kind]
            body.append(f"{indent}if not ({test}): {ret}")
            if f.name in read and kind in (float, list):  # int → float, list → tuple
                value = "float(v)" if kind is float else "() if v is M else tuple(v)"
                body.append(f"{indent}decoded[{f.name!r}] = {value}")
        elif kind in (dt.date, dt.datetime):  # as the decoders parse them
            parse = "date" if kind is dt.date else "datetime"
            tz = "" if kind is dt.date else ".tzinfo is None"
            body += [f"{indent}try:", f"{indent}    p = {parse}(v)",
                     f"{indent}except (TypeError, ValueError): {ret}"]
            if tz:
                body.append(f"{indent}if p{tz}: {ret}")
            if f.name in read:
                body.append(f"{indent}decoded[{f.name!r}] = p")
        else:  # a nested object, or a list of them
            inner = kind[1] if isinstance(kind, tuple) else kind
            build = _nested(inner, short, env, f"{prefix}{n}")
            if build is None:
                return None
            if isinstance(kind, tuple):
                body += [f"{indent}if v != ():",
                         f"{indent}    if type(v) is not list: {ret}",
                         f"{indent}    v = tuple(map({build}, v))",
                         f"{indent}    if None in v: {ret}"]
            else:
                body += [f"{indent}v = {build}(v)", f"{indent}if v is None: {ret}"]
            if f.name in read:
                body.append(f"{indent}decoded[{f.name!r}] = v")
    if not any("decoded[" in line for line in body):
        body.remove("    decoded = {}")
    return body


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


def nesting(cls: type) -> int:
    """The deepest JSON nesting an object the quick check of ``cls`` accepts can have (an
    object is 1; a list of texts in it, 2; a list of objects, 3), so that a reader can skip its
    depth limit for accepted objects."""
    hints = typing.get_type_hints(cls)
    deepest = 0
    for f in dataclasses.fields(cls):
        kind = (_kind(hints[f.name]) or (None, False))[0]
        if kind is list:
            deepest = max(deepest, 1)
        elif isinstance(kind, tuple):
            deepest = max(deepest, 1 + nesting(kind[1]))
        elif isinstance(kind, type) and dataclasses.is_dataclass(kind):
            deepest = max(deepest, nesting(kind))
    return 1 + deepest


def ipp_field(name: str) -> str | None:
    """The JSON field holding the patient's IPP for a record type (``id`` for a patient)."""
    if name == "patient":
        return "id"
    cls = records.RECORD_TYPES[name]
    return "ipp" if "ipp" in {f.name for f in dataclasses.fields(cls)} else None
