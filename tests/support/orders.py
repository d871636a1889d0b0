"""Medication orders of every kind the MAR must handle (continuous, protocol, verbatim)."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import MedicationOrder, Timing
from tests.support.sample import IPP

UTC = dt.UTC
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def order(oid: str, drug: str, timing: Timing, dose: str = "1", unit: str = "mg",
          route: str = "IV", **more) -> MedicationOrder:
    return MedicationOrder(oid, IPP, drug, dose, timing, START, unit, route, **more)


NORADRENALINE = order("nad", "Noradrénaline 8 mg/50 mL, seringue électrique",
                      Timing("text", text="IVSE, débit adapté pour PAM > 65 mmHg"), "8")
INSULINE = order("ins", "Insuline asparte 100 UI/mL",
                 Timing("text", text="Selon protocole, dextro toutes les 4 h"), "", "UI", "SC")
# « Every four to six hours » arrived as 4 doses a day, dose « 1 » without unit (issue 9).
SYNTHEA = order("syn", "Oxycodone 5 mg", Timing("times_per_day", per_day=4,
                                                text="Take 1 tablet every four to six hours"),
                "1", "", "PO")
RANGE = order("rng", "Hydrocodone", Timing("times_per_day", per_day=3,
                                           text="one to two tablets every 4-6 hours as needed"))
