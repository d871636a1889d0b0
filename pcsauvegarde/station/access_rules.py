"""Who may open a patient or an issued document: one rule for views, lists and actions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pcsauvegarde.station.state.accounts import User


def may_open_patient(user: User, ipp: str, unit: str | None,
                     has_grant: Callable[[str], bool]) -> bool:
    """Within the user's units, or a break-glass grant for this patient (unit unknown:
    only all-unit users)."""
    if "*" in user.units or (unit and user.can_see_unit(unit)):
        return True
    return bool(ipp) and has_grant(ipp)


def may_open_document(user: User, doc: Mapping[str, Any] | None,
                      has_grant: Callable[[str], bool]) -> bool:
    """An issued document MUST be judged by the unit its journal entry recorded.

    The patient may since have left the extract (discharge drop, a full package without
    them): what they are today says nothing about who may reread what was printed then.
    A document with no recorded unit is a patient's (all-unit users or a grant) or nobody's.
    """
    if doc is None:
        return False
    unit, ipp = doc.get("unit"), doc.get("ipp")
    if ipp:
        return may_open_patient(user, str(ipp), unit, has_grant)
    if unit:
        return user.can_see_unit(str(unit))
    return "*" in user.units


def covers_all_units(user: User) -> bool:
    """Department lists naming patients of every unit (imaging schedules) are for accounts
    on all units: a partial schedule would hide exams, a full one would show patients of
    units the account does not cover."""
    return "*" in user.units
