"""Who may reach a view: every view MUST be declared with ``requires`` (or ``public``)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import abort, current_app, g, redirect, request, url_for

EXTENSION = "pcsauvegarde"  # key of the Station on ``app.extensions``
LOGIN_LIMIT = "pcsauvegarde.login_limit"  # the login RateLimit on ``app.extensions``


def current_station():
    """The Station this app serves (set by create_app on ``app.extensions``)."""
    return current_app.extensions[EXTENSION]


CLINICAL = ("soins", "laboratoire", "pharmacie", "imagerie")


def requires(*roles: str) -> Callable:
    """Logged-in users holding at least one of ``roles`` (none given: any logged-in user)."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(**kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.path))
            if roles and not set(roles) & set(g.user.roles):
                abort(403)
            return view(**kwargs)
        _mark(wrapped, roles)
        return wrapped
    return decorate


def public(view: Callable) -> Callable:
    """A view reachable without logging in (login page only)."""
    _mark(view, None)
    return view


def _mark(view: Callable, roles: tuple[str, ...] | None) -> None:
    """Record who may open ``view`` as ``view.access_roles`` (read by the route audit test)."""
    view.__dict__["access_roles"] = roles  # a function attribute, which mypy does not model
