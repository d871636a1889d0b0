"""Local user accounts: argon2id hashes, roles, unit scope, lockout."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pcsauvegarde.station.state.statedb import StateDB

ROLES = ("soins", "laboratoire", "pharmacie", "stérilisation", "imagerie", "admin")
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_UNIT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=5)
_hasher = PasswordHasher()  # argon2id with the library's reviewed defaults


class AccountError(ValueError):
    """A refused account operation (French message)."""


@dataclass(frozen=True)
class User:
    login: str
    display_name: str
    roles: tuple[str, ...]
    units: tuple[str, ...]  # ("*",) means every unit
    active: bool
    locked_until: str | None = None
    created_at: str = ""

    def can_see_unit(self, unit: str) -> bool:
        return "*" in self.units or unit in self.units


class Accounts:
    """User store on the station's state database."""

    def __init__(self, db: StateDB):
        self.db = db
        self._dummy_hash: tuple[PasswordHasher, str] | None = None
        with db.connect() as conn:  # one row written by failures that touch no account
            conn.execute("CREATE TABLE IF NOT EXISTS login_pad (id INTEGER PRIMARY KEY, "
                         "n INTEGER NOT NULL)")
            conn.execute("INSERT OR IGNORE INTO login_pad VALUES (1, 0)")

    def add(self, login: str, display_name: str, password: str,
            roles: tuple[str, ...] = ("soins",), units: tuple[str, ...] = ("*",)) -> User:
        if not _LOGIN.match(login):
            raise AccountError(f"identifiant « {_CONTROL.sub('', login)[:40]} » invalide "
                               "(2 à 32 caractères : minuscules, chiffres, . _ -)")
        _check_password(password)
        roles, units = check_roles(roles), check_units(units)
        name = clean_name(display_name) or login
        with self.db.transaction() as db:
            if db.execute("SELECT 1 FROM user WHERE login=?", (login,)).fetchone():
                raise AccountError(f"l'identifiant « {login} » existe déjà")
            db.execute("INSERT INTO user (login, display_name, password_hash, roles, units,"
                       " created_at) VALUES (?,?,?,?,?,?)",
                       (login, name, _hasher.hash(password), ",".join(roles), ",".join(units),
                        dt.datetime.now(dt.UTC).isoformat()))
        return self.require(login)

    def list(self) -> list[User]:
        with self.db.connect() as db:
            return [_user(r) for r in db.execute("SELECT * FROM user ORDER BY login")]

    def update(self, login: str, display_name: str, roles: tuple[str, ...],
               units: tuple[str, ...]) -> User:
        """Change name, roles and units; the last active admin keeps the admin role."""
        roles, units = check_roles(roles), check_units(units)
        user = self.require(login)
        if "admin" in user.roles and "admin" not in roles and user.active:
            self._keep_an_admin(login)
        with self.db.connect() as db:
            db.execute("UPDATE user SET display_name=?, roles=?, units=? WHERE login=?",
                       (clean_name(display_name) or login, ",".join(roles), ",".join(units),
                        login))
        return self.require(login)

    def set_active(self, login: str, active: bool) -> User:
        user = self.require(login)
        if not active and "admin" in user.roles and user.active:
            self._keep_an_admin(login)
        with self.db.connect() as db:
            db.execute("UPDATE user SET active=?, failed_logins=0, locked_until=NULL"
                       " WHERE login=?", (int(active), login))
        return self.require(login)

    def set_password(self, login: str, password: str) -> User:
        """New password (also lifts a lockout)."""
        self.require(login)
        _check_password(password)
        with self.db.connect() as db:
            db.execute("UPDATE user SET password_hash=?, failed_logins=0, locked_until=NULL"
                       " WHERE login=?", (_hasher.hash(password), login))
        return self.require(login)

    def require(self, login: str) -> User:
        """The account, or AccountError « compte … inconnu »."""
        user = self.get(login[:64])
        if user is None:
            raise AccountError(f"compte « {_CONTROL.sub('', login)[:40]} » inconnu")
        return user

    def _keep_an_admin(self, login: str) -> None:
        others = [u for u in self.list() if u.active and "admin" in u.roles and u.login != login]
        if not others:
            raise AccountError("il doit rester au moins un compte administrateur actif")

    def get(self, login: str) -> User | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM user WHERE login=?", (login,)).fetchone()
        return _user(row) if row else None

    def count(self) -> int:
        with self.db.connect() as db:
            return db.execute("SELECT COUNT(*) FROM user").fetchone()[0]

    def is_locked(self, login: str, now: dt.datetime | None = None) -> bool:
        user = self.get(login[:64])
        now = now or dt.datetime.now(dt.UTC)
        return bool(user and user.locked_until
                    and dt.datetime.fromisoformat(user.locked_until) > now)

    def authenticate(self, login: str, password: str,
                     now: dt.datetime | None = None) -> User | None:
        """The user if the password matches and the account is usable, else None.

        Every failure (unknown login, locked or disabled account, wrong password) costs one
        hash verification and one write, so timing says nothing about which login exists.
        The attempt is counted before the hash is checked, in one transaction: parallel
        guesses cannot all slip in before the lockout.
        """
        now = now or dt.datetime.now(dt.UTC)
        login, password = login[:64], password[:256]
        with self.db.transaction() as db:
            row = db.execute("SELECT * FROM user WHERE login=?", (login,)).fetchone()
            locked = bool(row and row["locked_until"]
                          and dt.datetime.fromisoformat(row["locked_until"]) > now)
            if row is not None and not locked:
                failures = row["failed_logins"] + 1
                until = (now + LOCKOUT).isoformat() if failures >= MAX_FAILURES else None
                db.execute("UPDATE user SET failed_logins=?, locked_until=? WHERE login=?",
                           (0 if until else failures, until, login))
            else:  # a write of the same cost (page + WAL sync), so timing tells nothing
                db.execute("UPDATE login_pad SET n = n + 1 WHERE id = 1")
        ok = _verify(row["password_hash"] if row is not None else self._dummy(), password)
        if row is None or locked or not ok:
            return None
        with self.db.transaction() as db:
            db.execute("UPDATE user SET failed_logins=0, locked_until=NULL WHERE login=?",
                       (login,))
        return _user(row) if row["active"] else None

    def _dummy(self) -> str:
        """A hash of a random secret, made with the current hasher, for unknown logins."""
        if self._dummy_hash is None or self._dummy_hash[0] is not _hasher:
            self._dummy_hash = (_hasher, _hasher.hash(secrets.token_urlsafe(16)))
        return self._dummy_hash[1]


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def check_roles(roles) -> tuple[str, ...]:
    roles = tuple(dict.fromkeys(roles))
    if not roles:
        raise AccountError("choisissez au moins un rôle")
    for role in roles:
        if role not in ROLES:
            raise AccountError(f"rôle « {_CONTROL.sub('', role)[:40]} » inconnu "
                               f"({', '.join(ROLES)})")
    return roles


def check_units(units) -> tuple[str, ...]:
    """Unit codes, or ``("*",)`` for every unit."""
    units = tuple(dict.fromkeys(u.strip() for u in units if u.strip()))
    if not units:
        raise AccountError("choisissez au moins un service (ou « * » pour tous)")
    if "*" in units:
        return ("*",)
    for unit in units:
        if not _UNIT.match(unit):
            raise AccountError(f"code de service « {_CONTROL.sub('', unit)[:40]} » invalide")
    return units


def clean_name(text: str) -> str:
    """A display name without control or bidi characters, at most 80 characters."""
    return " ".join(_CONTROL.sub(" ", text).split())[:80]


def _check_password(password: str) -> None:
    if len(password) < 8 or len(password) > 256:
        raise AccountError("mot de passe : entre 8 et 256 caractères")
    if "\x00" in password:
        raise AccountError("mot de passe : caractère nul interdit")


def _user(row) -> User:
    return User(row["login"], row["display_name"], tuple(filter(None, row["roles"].split(","))),
                tuple(filter(None, row["units"].split(","))), bool(row["active"]),
                row["locked_until"], row["created_at"])
