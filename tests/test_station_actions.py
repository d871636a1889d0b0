"""Domain actions shared by the web views and the CLI: accounts, downtime admission."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pcsauvegarde.station import administration, admitting, patients
from pcsauvegarde.station.state.accounts import AccountError
from pcsauvegarde.station.state.admissions import AdmissionRequest
from tests.support.constants import PASSWORD


def _last(station, action):
    entries, _ = station.audit.search(action=action, limit=1)
    return entries[0]


def test_account_actions_close_sessions_and_are_journalled(station):
    user = administration.create_account(station, "chef", "ide2", "IDE 2", PASSWORD,
                                         ("soins",), ("REA",))
    assert _last(station, "account.created").target == user.login
    station.sessions.open("ide2")
    same = administration.update_account(station, "chef", "ide2", "IDE deux", ("soins",),
                                         ("REA",))
    assert same.sessions_closed == 0 and same.user.display_name == "IDE deux"
    wider = administration.update_account(station, "chef", "ide2", "IDE deux", ("soins",),
                                          ("REA", "CHD"))
    assert wider.sessions_closed == 1 and station.sessions.open_count("ide2") == 0
    station.sessions.open("ide2")
    reset = administration.reset_password(station, "console:root", "ide2", "nouveau mot 123")
    assert reset.sessions_closed == 1 and station.accounts.authenticate("ide2", "nouveau mot 123")
    assert _last(station, "account.password_reset").actor == "console:root"
    station.sessions.open("ide2")
    off = administration.set_account_active(station, "chef", "ide2", False)
    assert not off.user.active and off.sessions_closed == 1
    assert json.loads(_last(station, "account.disabled").details) == {"sessions_closed": 1}
    assert administration.set_account_active(station, "chef", "ide2", True).user.active
    with pytest.raises(AccountError, match="propre compte"):
        administration.set_account_active(station, "ide2", "ide2", False)
    with pytest.raises(AccountError, match="inconnu"):
        administration.update_account(station, "chef", "personne", "", ("soins",), ("*",))


def test_admit_stores_numbers_and_issues_the_kit(station):
    unit = next(u for u in patients.units(station) if u.inpatients).code
    req = AdmissionRequest(birth_name="DURAND", first_names="Léa", sex="F", unit=unit,
                           birth_date=dt.date(2001, 5, 6))
    assert admitting.possible_duplicates(station, req) == []
    done = admitting.admit(station, req, "infirmiere")
    assert done.kit is not None and not done.kit_error
    stored = patients.admissions_of(station).get(done.admission.ipp)
    assert stored.document_number == done.kit.document.number
    twin = AdmissionRequest(birth_name="Durand", first_names="Léo", sex="M", unit=unit,
                            birth_date=dt.date(2001, 5, 6))
    assert [r.patient.id for r in admitting.possible_duplicates(station, twin)] == [
        done.admission.ipp]
