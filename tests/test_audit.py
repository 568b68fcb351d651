"""Every add, edit and delete made in the console keeps a history row: who, when, what changed."""

from __future__ import annotations

import html
import json

from app.audit.models import AuditEntry
from app.directory.models import Sector
from app.extensions import db
from app.testing import csrf_token, login, post_form


def entries(app, table: str) -> list[AuditEntry]:
    with app.app_context():
        rows = db.session.query(AuditEntry).filter_by(table_name=table).order_by(AuditEntry.id).all()
        return [(row.action, row.user.username if row.user else None, row.row_id, json.loads(row.changes)) for row in rows]


def test_add_edit_delete_are_recorded_with_their_author(app):
    client = app.test_client()
    login(client, "gestion")
    post_form(client, "/sectorview/add", {"name": "Marle"}, follow_redirects=True)
    with app.app_context():
        sector_id = db.session.query(Sector).filter_by(name="Marle").one().id
    post_form(client, f"/sectorview/edit/{sector_id}", {"name": "Marle et environs"}, follow_redirects=True)
    token = csrf_token(client, "/sectorview/list/")
    client.post(f"/sectorview/delete/{sector_id}", data={"csrf_token": token}, follow_redirects=True)
    history = [entry for entry in entries(app, "occe_sector") if entry[2] == str(sector_id)]
    assert [(action, user) for action, user, _, _ in history] == [("ajout", "gestion"), ("modification", "gestion"), ("suppression", "gestion")]
    assert history[0][3]["name"] == "Marle"
    assert history[1][3] == {"name": ["Marle", "Marle et environs"]}
    assert history[2][3]["name"] == "Marle et environs"


def test_password_hashes_are_never_copied_into_the_history(app):
    client = app.test_client()
    login(client, "admin")
    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username="partenaire").id
    token = csrf_token(client, "/resetpassword/form")
    client.post(f"/resetpassword/form?pk={user_id}", data={"password": "une nouvelle phrase longue", "conf_password": "une nouvelle phrase longue", "csrf_token": token})
    with app.app_context():
        for row in db.session.query(AuditEntry).filter_by(table_name="ab_user"):
            assert "password" not in json.loads(row.changes)
            assert "pbkdf2" not in row.changes and "scrypt" not in row.changes


def test_signing_in_writes_no_history(app):
    with app.app_context():
        before = db.session.query(AuditEntry).count()
    login(app.test_client(), "conseil")
    with app.app_context():
        assert db.session.query(AuditEntry).count() == before


def test_the_history_page_is_for_administrators(app):
    admin = app.test_client()
    login(admin, "admin")
    post_form(admin, "/sectorview/add", {"name": "Sissonne"}, follow_redirects=True)
    page = html.unescape(admin.get("/auditview/list/").get_data(as_text=True))
    assert "Historique des modifications" in page and "Sissonne" in page and "ajout" in page
    for username in ("gestion", "animation", "conseil", "partenaire"):
        client = app.test_client()
        login(client, username)
        assert client.get("/auditview/list/").status_code in (302, 403)
