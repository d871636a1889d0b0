"""Who may reach each route, read from the routes themselves (``requires``/``public``).

The roles table of docs/roles.md is generated from this, so it says what the code enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOPED_ARGS = frozenset({"ipp", "unit", "number"})  # see scope.py: these follow the units


@dataclass(frozen=True)
class AccessRule:
    path: str
    method: str
    endpoint: str
    roles: tuple[str, ...] | None   # None: without login; (): any logged-in account
    scoped: bool                    # limited to the account's units (or break-glass)


def access_rules() -> list[AccessRule]:
    """One rule per (route, method) of the UI, sorted by path."""
    from flask import Flask

    from pcsauvegarde.station.web import blueprints

    app = Flask(__name__)  # routes only: no station, nothing opened
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "access_roles", None)
        scoped = bool(rule.arguments & SCOPED_ARGS) and not getattr(view, "scope_exempt", False)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            rules.append(AccessRule(rule.rule, method, rule.endpoint,
                                    tuple(roles) if roles is not None else None, scoped))
    return sorted(rules, key=lambda r: (r.path, r.method))
