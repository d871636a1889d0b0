"""Found by the soak (issue 11): in-thread PDF renders take turns.

Without worker processes (not started, or a worker died) the station renders in the request's
thread; two fpdf2 documents built at once in one process broke each other's output
(``KeyError`` in fpdf's cross-reference table, 4 server errors in a soak of 4 nurses).
"""

from __future__ import annotations

import threading
import time

from pcsauvegarde.station.issuing import issue
from pcsauvegarde.station.store import queries


def test_in_thread_renders_never_overlap(station, monkeypatch):
    assert station.render_pool is None
    inside, overlaps, errors = [0], [], []
    original = issue._render

    def watched(*args):
        inside[0] += 1
        overlaps.append(inside[0])
        time.sleep(0.05)  # widen the window two renders would share
        try:
            return original(*args)
        finally:
            inside[0] -= 1

    monkeypatch.setattr(issue, "_render", watched)
    unit = queries.units(station.store)[0].code
    ipps = [r.patient.id for r in queries.inpatients(station.store, unit)][:4]
    barrier = threading.Barrier(len(ipps))

    def nurse(ipp):
        barrier.wait()
        try:
            issue.issue_patient_document(station, "summary", ipp, "infirmiere")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=nurse, args=(ipp,)) for ipp in ipps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(overlaps) == len(ipps) and max(overlaps) == 1
