"""A record's canonical NDJSON line, written straight from its fields.

``record_line(r)`` MUST equal ``dumps_line(r.to_dict())`` byte for byte (the delta digests
are taken over it): text, None, integers, booleans, dates and datetimes are written inline,
any other value sends the whole record through ``to_dict`` and the JSON encoder. The
publisher encodes every record of every run, so this is its hot path.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import typing
from collections.abc import Callable
from typing import Any

from pcsauvegarde.core.package.seal import dumps_line
from pcsauvegarde.core.records import Record, _field_names, format_utc


def record_line(record: Record) -> bytes:
    """The record's line, as the package carries it (newline included)."""
    try:
        cls: type = type(record)  # as ``type``: see Record.to_dict
        return _line_writer(cls, record.TYPE)(record)
    except _Slow:
        return dumps_line(record.to_dict())


class _Slow(Exception):
    """A value the inline writer leaves to the JSON encoder (lists, objects, floats…)."""


def _value(v: Any) -> str:
    """JSON text of a value whose type the field's hint did not predict."""
    t = type(v)
    if t is str:
        return _esc(v)
    if v is None:
        return "null"
    if t is dt.datetime:
        return '"' + format_utc(v) + '"'
    if t is int:
        return int.__repr__(v)
    if t is bool:
        return "true" if v else "false"
    if t is dt.date:
        return '"' + v.isoformat() + '"'
    raise _Slow


_esc = json.encoder.encode_basestring  # what the C encoder uses with ensure_ascii=False


@functools.cache
def _line_writer(cls: type, type_name: str) -> Callable[[Record], bytes]:
    """One f-string per class: the expected type of each field inline, others via _value."""
    hints = typing.get_type_hints(cls)
    env: dict[str, Any] = {"esc": _esc, "fmt": format_utc, "value": _value,
                           "datetime": dt.datetime, "Q": '"'}
    parts = [json.dumps("type") + ":" + json.dumps(type_name, ensure_ascii=False)]
    body = ["def line(self):", "    d = self.__dict__"]
    for i, name in enumerate(_field_names(cls)):
        hint = hints[name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else hint  # X | None: X is the expected case
        body.append(f"    a{i} = d[{name!r}]")
        if hint is str:
            expr = f"esc(a{i}) if type(a{i}) is str else value(a{i})"
        elif hint is dt.datetime:
            expr = f"Q + fmt(a{i}) + Q if type(a{i}) is datetime else value(a{i})"
        else:
            expr = f"value(a{i})"
        parts.append(json.dumps(name) + ":{(" + expr + ")}")
    # literal braces doubled in the f-string's text; field names need no JSON escaping
    text = "{{" + ",".join(parts) + "}}\n"
    body.append(f"    return f{text!r}.encode()")
    source = "\n".join(body)
    exec(source, env)  # noqa: S102 - generated from our own dataclass fields only
    return env["line"]
