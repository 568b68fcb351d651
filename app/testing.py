"""Helpers for the core's tests and every plugin's tests.

``build_test_app`` gives a migrated console on a real database: a SQLite
file in a temporary folder, or, when ``OCCE_TEST_DATABASE_URL`` names a
PostgreSQL server, a new database on it. One user per role is created,
all with :data:`PASSWORD`. Build the app once per test module: FAB's
start-up is the slow part of a test.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PASSWORD = "mot-de-passe-de-test-2025"
ROLE_USERS = {
    "admin": "Admin",
    "animation": "Animation",
    "gestion": "Gestion",
    "conseil": "Conseil",
    "partenaire": "Partenaire",
}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def fresh_database_url(folder: Path, name: str) -> str:
    """A new, empty database for one test app."""
    server = os.environ.get("OCCE_TEST_DATABASE_URL")
    if not server:
        return f"sqlite:///{folder / 'occe.db'}"
    from app.settings import normalise_database_url

    url = make_url(normalise_database_url(server))
    database = re.sub(r"[^a-z0-9_]", "_", f"occe_test_{name}".lower())[:60]
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    engine.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def build_test_app(
    folder: Path,
    *,
    name: str | None = None,
    plugin_packages: Iterable[str] | None = None,
    migrate: bool = True,
    **config: Any,
) -> Flask:
    """Create, migrate and populate (roles, one user per role, current year) a test console."""
    from app import create_app

    folder = Path(folder)
    settings = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": str(folder / "instance"),
        "RATELIMIT_ENABLED": False,
        "OCCE_PLUGIN_ENTRY_POINTS": False,
    }
    if plugin_packages is not None:
        settings["OCCE_PLUGIN_PACKAGES"] = list(plugin_packages)
    settings.update(config)
    if "SQLALCHEMY_DATABASE_URI" not in settings:
        settings["SQLALCHEMY_DATABASE_URI"] = fresh_database_url(folder, name or folder.name)
    app = create_app(settings)
    if migrate:
        with app.app_context():
            prepare_database(app)
    return app


def prepare_database(app: Flask) -> None:
    """Upgrade everything, then create roles, permissions, the current year and the users."""
    from app.cli import ensure_roles_and_permissions, run_upgrade
    from app.extensions import db
    from app.years.service import ensure_current_year

    failures = run_upgrade(echo=lambda *args, **kwargs: None)
    if failures:
        raise RuntimeError(f"migrations failed: {failures}")
    ensure_roles_and_permissions()
    ensure_current_year()
    sm = app.appbuilder.sm
    for username, role_name in ROLE_USERS.items():
        if sm.find_user(username=username) is None:
            sm.add_user(username, username.title(), "Test", f"{username}@example.org", [sm.find_role(role_name)], password=PASSWORD)
    db.session.commit()


def csrf_token(client, url: str = "/login/") -> str:
    """The CSRF token of the form at ``url``."""
    page = client.get(url).get_data(as_text=True)
    match = _CSRF.search(page)
    if not match:
        raise AssertionError(f"no CSRF token in {url}")
    return match.group(1)


def login(client, username: str, password: str = PASSWORD):
    """Sign ``username`` in through the real login form."""
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": username, "password": password, "csrf_token": token})


_HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
_NAME = re.compile(r'name="([^"]+)"')
_VALUE = re.compile(r'value="([^"]*)"')


def hidden_fields(client, url: str) -> dict[str, str]:
    """The hidden inputs of the page at ``url`` (CSRF token, record version...), as a browser sends them."""
    page = client.get(url).get_data(as_text=True)
    fields = {}
    for tag in _HIDDEN.findall(page):
        name, value = _NAME.search(tag), _VALUE.search(tag)
        if name and name.group(1) in ("csrf_token", "version") and name.group(1) not in fields:
            fields[name.group(1)] = value.group(1) if value else ""
    if "csrf_token" not in fields:
        raise AssertionError(f"no CSRF token in {url}")
    return fields


def post_form(client, url: str, data: dict, token_from: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with the hidden fields of the form at ``token_from`` (default: ``url``)."""
    payload = {**hidden_fields(client, token_from or url), **data}
    return client.post(url, data=payload, **kwargs)


def schema_differences(app: Flask, plugin_code: str | None = None) -> list:
    """What Alembic's autogenerate would still change: [] when migrations match the models."""
    from app.extensions import db
    from app.plugins.migrations import core_include_object, plugin_include_object, version_table

    include = plugin_include_object(plugin_code) if plugin_code else core_include_object
    opts = {"include_object": include, "compare_type": True}
    if plugin_code:
        opts["version_table"] = version_table(plugin_code)
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=opts)
        return compare_metadata(context, db.metadata)
