"""Account administration, written once for the admin pages and ``pcsauvegarde users``.

Each action checks, changes the account, closes the sessions it makes unsafe and journals who
did it (``actor``: an admin's login or ``console:<user>``). Refusals raise AccountError with a
French message.
"""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.state.accounts import AccountError, User
from pcsauvegarde.station.station import Station


@dataclass(frozen=True)
class AccountChange:
    """The account after the action, and how many of its open sessions were closed."""

    user: User
    sessions_closed: int = 0


def unknown_units(station: Station, units: tuple[str, ...]) -> list[str] | None:
    """Codes in ``units`` the station does not know (None: no unit known yet, none checked)."""
    from pcsauvegarde.station.patients import units as known_units

    known = {u.code for u in known_units(station)}
    if not known:
        return None
    return [u for u in units if u != "*" and u not in known]


def create_account(station: Station, actor: str, login: str, name: str, password: str,
                   roles: tuple[str, ...], units: tuple[str, ...]) -> User:
    """Create an account (journalled)."""
    user = station.accounts.add(login, name, password, roles, units)
    station.audit.record(actor, "account.created", user.login,
                         {"roles": user.roles, "units": user.units})
    return user


def update_account(station: Station, actor: str, login: str, name: str,
                   roles: tuple[str, ...], units: tuple[str, ...]) -> AccountChange:
    """Change name, roles and units; new rights close the account's sessions."""
    before = station.accounts.require(login)
    user = station.accounts.update(before.login, name, roles, units)
    station.audit.record(actor, "account.updated", user.login,
                         {"before": {"roles": before.roles, "units": before.units},
                          "after": {"roles": user.roles, "units": user.units}})
    closed = 0
    if set(user.units) != set(before.units) or set(user.roles) != set(before.roles):
        closed = station.sessions.revoke_user(user.login, "droits modifiés")
    return AccountChange(user, closed)


def set_account_active(station: Station, actor: str, login: str,
                       active: bool) -> AccountChange:
    """Disable (its sessions closed at once) or enable an account; never one's own off."""
    if not active and login == actor:
        raise AccountError("vous ne pouvez pas désactiver votre propre compte")
    user = station.accounts.set_active(login, active)
    if active:
        station.audit.record(actor, "account.enabled", user.login)
        return AccountChange(user)
    closed = station.sessions.revoke_user(user.login, "compte désactivé")
    station.audit.record(actor, "account.disabled", user.login, {"sessions_closed": closed})
    return AccountChange(user, closed)


def reset_password(station: Station, actor: str, login: str, password: str) -> AccountChange:
    """Set a new password (lifts a lockout); the account's open sessions are closed."""
    user = station.accounts.set_password(login, password)
    closed = station.sessions.revoke_user(user.login, "mot de passe réinitialisé")
    station.audit.record(actor, "account.password_reset", user.login,
                         {"sessions_closed": closed})
    return AccountChange(user, closed)
