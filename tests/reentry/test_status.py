"""Re-entry statuses: checked transitions, append-only history, audited changes."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from pcsauvegarde.station.reentry import status
from pcsauvegarde.station.reentry.status import StatusError

T0 = dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)


def test_an_item_never_marked_is_to_reenter(station):
    now = status.current(station, "document", "ST-0000001")
    assert now.status == status.TO_REENTER and now.label == "à ressaisir" and now.at is None
    assert status.history(station, "document", "ST-0000001") == []


def test_the_full_path_is_kept_with_who_when_and_audited(station):
    status.mark(station, "lab_label", "L26000123", "ressaisi", "ide1", now=T0)
    status.mark(station, "lab_label", "L26000123", "verifie", "cadre",
                now=T0 + dt.timedelta(hours=1))
    hist = status.history(station, "lab_label", "L26000123")
    assert [(h.status, h.by) for h in hist] == [("ressaisi", "ide1"), ("verifie", "cadre")]
    assert hist[1].at == T0 + dt.timedelta(hours=1)
    cur = status.current(station, "lab_label", "L26000123")
    assert cur.label == "vérifié" and cur.is_done
    entries, total = station.audit.search(action="reentry.status")
    assert total == 2 and entries[0].target == "lab_label:L26000123"
    assert entries[0].details_dict == {"from": "ressaisi", "to": "verifie", "reason": ""}
    assert entries[0].actor == "cadre" and entries[0].label == "Statut de ressaisie modifié"
    assert station.audit.verify().ok
    assert status.current_all(station) == {("lab_label", "L26000123"): cur}
    assert status.current_all(station, "document") == {}


@pytest.mark.parametrize(("steps", "bad", "message"), [
    ((), "verifie", "passage de « à ressaisir » à « vérifié » impossible"),
    (("ressaisi",), "ressaisi", "est déjà « ressaisi »"),
    ((), "sans_objet", "un motif est obligatoire pour « sans objet »"),
    (("ressaisi",), "a_ressaisir", "un motif est obligatoire pour « à ressaisir »"),
    (("ressaisi", "verifie"), "sans_objet", "passage de « vérifié » à « sans objet » impossible"),
    ((), "fini", "statut inconnu : « fini »"),
])
def test_bad_transitions_are_refused_in_french_and_leave_nothing(station, steps, bad, message):
    for s in steps:
        status.mark(station, "document", "ST-0000009", s, "ide1")
    before = station.audit.search(action="reentry.status")[1]
    with pytest.raises(StatusError, match=message):
        status.mark(station, "document", "ST-0000009", bad, "ide1")
    assert len(status.history(station, "document", "ST-0000009")) == len(steps)
    assert station.audit.search(action="reentry.status")[1] == before


def test_not_applicable_and_reopening_need_a_reason_and_keep_it(station):
    status.mark(station, "tray", "CIRC-42", "sans_objet", "ide1", "  plateau jamais sorti ")
    status.mark(station, "tray", "CIRC-42", "a_ressaisir", "cadre", "sorti finalement")
    hist = status.history(station, "tray", "CIRC-42")
    assert [h.reason for h in hist] == ["plateau jamais sorti", "sorti finalement"]
    assert status.current(station, "tray", "CIRC-42").status == "a_ressaisir"


def test_unknown_kind_and_empty_number_are_refused(station):
    with pytest.raises(StatusError, match="type d'élément à ressaisir inconnu"):
        status.mark(station, "folder", "X", "ressaisi", "ide1")
    with pytest.raises(StatusError, match="numéro de l'élément manquant"):
        status.mark(station, "document", " ", "ressaisi", "ide1")


def test_distinct_verifier_refuses_self_verification(station):
    status.mark(station, "admission", "PROV-1", "ressaisi", "ide1")
    with pytest.raises(StatusError, match="par une autre personne"):
        status.mark(station, "admission", "PROV-1", "verifie", "ide1", distinct_verifier=True)
    status.mark(station, "admission", "PROV-1", "verifie", "ide2", distinct_verifier=True)


def test_history_rows_cannot_be_altered_or_deleted(station):
    status.mark(station, "document", "ST-0000003", "ressaisi", "ide1")
    with station.state.connect() as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE reentry_status SET status='verifie'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM reentry_status")


def test_mark_joins_the_callers_transaction(station):
    with pytest.raises(RuntimeError), station.state.transaction() as conn:
        status.mark(station, "document", "ST-0000004", "ressaisi", "ide1", db=conn)
        assert status.history(station, "document", "ST-0000004") == []   # not yet committed
        raise RuntimeError("the transcription failed")
    assert status.current(station, "document", "ST-0000004").status == "a_ressaisir"
    assert station.audit.search(action="reentry.status")[1] == 0
    with station.state.transaction() as conn:
        status.mark(station, "document", "ST-0000004", "ressaisi", "ide1", db=conn)
    assert status.current(station, "document", "ST-0000004").by == "ide1"
    assert station.audit.verify().ok
