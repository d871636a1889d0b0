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
        wrapped.access_roles = roles  # read by the route audit test
        return wrapped
    return decorate


def public(view: Callable) -> Callable:
    """A view reachable without logging in (login page only)."""
    view.access_roles = None
    return view
