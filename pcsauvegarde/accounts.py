"""Local user accounts: argon2id hashes, roles, unit scope, lockout."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pcsauvegarde.statedb import StateDB

ROLES = ("soins", "laboratoire", "pharmacie", "stérilisation", "imagerie", "admin")
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
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

    def can_see_unit(self, unit: str) -> bool:
        return "*" in self.units or unit in self.units


class Accounts:
    """User store on the station's state database."""

    def __init__(self, db: StateDB):
        self.db = db

    def add(self, login: str, display_name: str, password: str,
            roles: tuple[str, ...] = ("soins",), units: tuple[str, ...] = ("*",)) -> User:
        if not _LOGIN.match(login):
            raise AccountError(f"identifiant « {login[:40]} » invalide "
                               "(2 à 32 caractères : minuscules, chiffres, . _ -)")
        if len(password) < 8 or len(password) > 256:
            raise AccountError("mot de passe : entre 8 et 256 caractères")
        for role in roles:
            if role not in ROLES:
                raise AccountError(f"rôle « {role} » inconnu ({', '.join(ROLES)})")
        name = display_name.strip()[:80] or login
        with self.db.transaction() as db:
            if db.execute("SELECT 1 FROM user WHERE login=?", (login,)).fetchone():
                raise AccountError(f"l'identifiant « {login} » existe déjà")
            db.execute("INSERT INTO user (login, display_name, password_hash, roles, units,"
                       " created_at) VALUES (?,?,?,?,?,?)",
                       (login, name, _hasher.hash(password), ",".join(roles), ",".join(units),
                        dt.datetime.now(dt.UTC).isoformat()))
        return self.get(login)

    def get(self, login: str) -> User | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM user WHERE login=?", (login,)).fetchone()
        return _user(row) if row else None

    def count(self) -> int:
        with self.db.connect() as db:
            return db.execute("SELECT COUNT(*) FROM user").fetchone()[0]

    def authenticate(self, login: str, password: str,
                     now: dt.datetime | None = None) -> User | None:
        """The user if the password matches and the account is usable, else None."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM user WHERE login=?", (login[:64],)).fetchone()
        if row is None:
            _hasher.hash(password[:256])  # same cost whether the login exists or not
            return None
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            return None
        try:
            ok = _hasher.verify(row["password_hash"], password[:256])
        except (VerificationError, InvalidHashError):
            ok = False
        with self.db.transaction() as db:
            if ok:
                db.execute("UPDATE user SET failed_logins=0, locked_until=NULL WHERE login=?",
                           (login,))
            else:
                failures = row["failed_logins"] + 1
                locked = (now + LOCKOUT).isoformat() if failures >= MAX_FAILURES else None
                db.execute("UPDATE user SET failed_logins=?, locked_until=? WHERE login=?",
                           (0 if locked else failures, locked, login))
        return _user(row) if ok and row["active"] else None


def _user(row) -> User:
    return User(row["login"], row["display_name"], tuple(filter(None, row["roles"].split(","))),
                tuple(filter(None, row["units"].split(","))), bool(row["active"]))
