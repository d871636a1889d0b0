"""The audit database checked against the signed heads kept outside it."""

from __future__ import annotations

from pcsauvegarde.station.state.audit import Audit, Verification


def check_against_heads(audit: Audit, entries: int) -> Verification:
    """Name the first entry the signed heads prove missing, altered or rewritten."""
    if audit.anchor is None:
        return Verification(True, entries)
    heads, bad = audit.anchor.read()
    if bad:
        return Verification(False, entries, None, "fichier des en-têtes signés altéré (ligne "
                            f"{bad[0]} : signature invalide)")
    if not heads:
        return Verification(True, entries)
    signed: dict[int, set[str]] = {}
    for head in heads:
        signed.setdefault(head.seq, set()).add(head.hash)
    latest = max(signed)
    rewritten = [seq for seq, hashes in signed.items() if len(hashes) > 1]
    if rewritten:
        first = min(rewritten)
        return Verification(False, entries, first, "journal réécrit : deux empreintes signées "
                            f"différentes pour l'entrée n° {first} (journal recréé ou refait)",
                            latest)
    with audit.db.connect() as conn:
        stored = dict(conn.execute("SELECT seq, hash FROM audit"))
    last_ok = 0
    for seq in sorted(signed):
        (digest,) = signed[seq]
        if seq not in stored:
            missing = last_ok + 1 if last_ok + 1 not in stored else max(stored, default=0) + 1
            return Verification(False, entries, missing, f"entrée n° {missing} manquante : la "
                                f"station avait signé le journal jusqu'à l'entrée n° {latest}",
                                latest)
        if stored[seq] != digest:
            first = last_ok + 1
            where = (f"entrée n° {seq} modifiée" if first == seq else
                     f"entrée modifiée entre les n° {first} et {seq}")
            return Verification(False, entries, first, f"{where} (ne correspond plus à "
                                "l'en-tête signé)", latest)
        last_ok = seq
    return Verification(True, entries, signed_seq=latest)
