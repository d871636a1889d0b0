"""The fleet's memory of each station's signed audit heads: a journal rewritten or cut on a
station no longer extends what the fleet already saw (security-model.md, « What root can
still do »).

One JSON file (``fleet --heads FILE``): per station, the hash seen for each audit sequence
number (the latest ``KEEP`` of them) and the highest sequence seen. Written atomically.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.publisher.fleet import FLAGS, StationStatus

KEEP = 2000  # heads remembered per station (one per fleet run that saw a new one)


class HeadsFileError(ValueError):
    """The heads file cannot be read (French message naming it)."""


def check_heads(rows: list[StationStatus], path: Path) -> list[StationStatus]:
    """Flag « audit » on a station whose head goes back or changes for a sequence already
    seen; record the new heads. A flagged head is not recorded (the old ones stay the
    reference)."""
    memory = _read(path)
    out = []
    for r in rows:
        if r.audit_head is None or not r.audit_hash:
            out.append(r)
            continue
        seen = memory.setdefault(r.station, {"max": 0, "heads": {}})
        problem = ""
        known = seen["heads"].get(str(r.audit_head))
        if known is not None and known != r.audit_hash:
            problem = (f"journal d'audit réécrit : l'entrée n° {r.audit_head} n'a plus la "
                       "même empreinte qu'au précédent contrôle")
        elif r.audit_head < seen["max"]:
            problem = (f"journal d'audit en recul : tête n° {r.audit_head}, déjà vue jusqu'au "
                       f"n° {seen['max']} (journal coupé ou station restaurée)")
        if problem:
            flags = tuple(sorted((*r.flags, "audit"), key=FLAGS.index))
            out.append(replace(r, flags=flags, state=flags[0],
                               detail="; ".join(x for x in (r.detail, problem) if x)))
            continue
        seen["heads"][str(r.audit_head)] = r.audit_hash
        seen["max"] = max(seen["max"], r.audit_head)
        if len(seen["heads"]) > KEEP:
            for old in sorted(seen["heads"], key=int)[:-KEEP]:
                del seen["heads"][old]
        out.append(r)
    atomic_write(path, json.dumps(memory, indent=1, sort_keys=True).encode(), mode=0o600)
    return out


def _read(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(
                isinstance(v, dict) and isinstance(v.get("max"), int)
                and isinstance(v.get("heads"), dict) for v in data.values()):
            raise ValueError("contenu inattendu")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise HeadsFileError(f"« {path} » : mémoire des têtes du journal d'audit illisible "
                             f"({exc}) ; la garder telle quelle pour l'enquête et en indiquer "
                             "une autre") from None
    return data
