"""The drop folder over time: a continuous publisher writes a delta every few seconds.

Once a full package is superseded by a newer full, the packages before it serve no station
(a station only applies deltas after the latest full it can see), so they are removed; the
previous full and its deltas stay for a station that is still catching up.
"""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.core.package import PackageError, parse_file_name


def prune_drop(drop_dir: Path, keep_fulls: int = 2) -> list[Path]:
    """Remove packages (and signatures) older than the ``keep_fulls``-th newest full of their
    (station, domain); return the package files removed."""
    chains: dict[tuple[str, str], list[tuple[int, str, Path]]] = {}
    for path in Path(drop_dir).glob("*.age"):
        try:
            info = parse_file_name(path.name)
        except PackageError:
            continue  # not ours to judge
        key = (str(info["station"]), str(info["domain"]))
        chains.setdefault(key, []).append((int(info["sequence"]), str(info["kind"]), path))
    removed = []
    for packages in chains.values():
        fulls = sorted((seq for seq, kind, _ in packages if kind == "full"), reverse=True)
        if len(fulls) < keep_fulls:
            continue
        oldest_kept = fulls[keep_fulls - 1]
        for seq, _, path in packages:
            if seq < oldest_kept:
                path.with_name(path.name + ".minisig").unlink(missing_ok=True)
                path.unlink(missing_ok=True)
                removed.append(path)
    return sorted(removed)
