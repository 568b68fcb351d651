"""A save the database refuses: a French message, no SQL, and the form keeps what was typed."""

from __future__ import annotations

import html
import sqlite3

import pytest

from app.directory.models import Sector
from app.extensions import db
from app.testing import build_test_app, login, post_form


@pytest.fixture(scope="module")
def locked_app(tmp_path_factory):
    app = build_test_app(tmp_path_factory.mktemp("locked"), name="locked", plugin_packages=[], SQLITE_BUSY_TIMEOUT=0.2)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("a file lock held by another writer is SQLite's case")
    return app


def test_a_locked_database_keeps_the_form_and_speaks_french(locked_app):
    client = locked_app.test_client()
    login(client, "gestion")
    token_page = "/sectorview/add"
    path = locked_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = post_form(client, "/sectorview/add", {"name": "Secteur de Claire <claire@example.org>"}, token_from=token_page)
    finally:
        blocker.rollback()
        blocker.close()
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "La base de données est momentanément occupée : vos saisies sont conservées" in page
    assert 'value="Secteur de Claire <claire@example.org>"' in page  # what was typed is still in the form
    assert "INSERT" not in page and "OperationalError" not in page and "locked" not in page
    with locked_app.app_context():
        assert db.session.query(Sector).filter(Sector.name.like("Secteur de Claire%")).count() == 0
    # once the lock is gone, the same save goes through
    post_form(client, "/sectorview/add", {"name": "Secteur de Claire"}, follow_redirects=True)
    with locked_app.app_context():
        assert db.session.query(Sector).filter_by(name="Secteur de Claire").count() == 1


def test_a_locked_database_on_edit_keeps_the_form(locked_app):
    with locked_app.app_context():
        sector = Sector(name="Avant")
        db.session.add(sector)
        db.session.commit()
        sector_id = sector.id
    client = locked_app.test_client()
    login(client, "gestion")
    path = locked_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        response = post_form(client, f"/sectorview/edit/{sector_id}", {"name": "Après"})
    finally:
        blocker.rollback()
        blocker.close()
    page = html.unescape(response.get_data(as_text=True))
    assert "momentanément occupée : vos saisies sont conservées" in page and 'value="Après"' in page
    assert "UPDATE" not in page and "locked" not in page
    with locked_app.app_context():
        assert db.session.get(Sector, sector_id).name == "Avant"
