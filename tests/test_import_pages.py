"""The import pages: upload, dry-run preview with French line errors, confirmation, re-import."""

from __future__ import annotations

import html
import io
import re

import pytest

from app.directory.models import Cooperative, Membership, School
from app.extensions import db
from app.testing import csrf_token, login

HEADER = "N° affiliation;UAI;École;Commune;Secteur;Mandataire;Courriel;Téléphone\n"
GOOD = HEADER + (
    "027001;0021234F;École primaire Les Tilleuls;Laon;Laon;Claire MARTIN;claire.martin@ac-amiens.example;03 23 45 67 89\n"
    "027002;0020001R;École maternelle Jean Macé;Chauny;Chauny;Paul PETIT;paul.petit@ac-amiens.example;0323000000\n"
)
BAD = GOOD + "027003;0027777A;École élémentaire Condorcet;Guise;Guise;Anne ROUX;anne.roux@ac-amiens.example;12\n"


def upload(client, content: str, kind: str = "cooperatives", filename: str = "adherents.csv", year_id: str = ""):
    token = csrf_token(client, "/annuaire/import/")
    data = {"csrf_token": token, "kind": kind, "year_id": year_id, "file": (io.BytesIO(content.encode("utf-8")), filename)}
    return client.post("/annuaire/import/apercu", data=data, content_type="multipart/form-data")


def confirm(client, preview_page: str):
    fields = dict(re.findall(r'name="(token|kind|year_id|csrf_token)" value="([^"]*)"', preview_page))
    return client.post("/annuaire/import/confirmer", data=fields, follow_redirects=True)


@pytest.fixture
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


def test_a_file_with_errors_is_reported_by_line_and_nothing_is_saved(app, gestion):
    page = html.unescape(upload(gestion, BAD).get_data(as_text=True))
    assert "Le fichier contient des erreurs : rien ne sera enregistré." in page
    errors = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    lines = {int(line) for line, _, _ in errors}
    assert lines == {4}
    assert any("la lettre de contrôle doit être" in message for _, _, message in errors)
    assert any("Numéro de téléphone invalide" in message or "téléphone" in message.lower() for _, _, message in errors)
    assert 'id="import-confirm"' not in page
    with app.app_context():
        assert db.session.query(Cooperative).filter(Cooperative.affiliation_number.in_(["027001", "027002"])).count() == 0


def test_preview_then_confirm_then_reimport_updates(app, gestion):
    preview = html.unescape(upload(gestion, GOOD).get_data(as_text=True))
    assert "2 créations" in preview and "« N° affiliation » → " in preview
    with app.app_context():
        assert db.session.query(Cooperative).filter_by(affiliation_number="027001").count() == 0  # a dry run
    done = html.unescape(confirm(gestion, preview).get_data(as_text=True))
    assert "Import terminé : 2 créations" in done
    with app.app_context():
        cooperative = db.session.query(Cooperative).filter_by(affiliation_number="027001").one()
        assert cooperative.mandataire.last_name.upper() == "MARTIN" and cooperative.school.commune == "Laon"

    changed = GOOD.replace("Chauny;Chauny", "Tergnier;Chauny")
    preview = html.unescape(upload(gestion, changed).get_data(as_text=True))
    assert "1 mise à jour" in preview and "1 ligne inchangée" in preview
    confirm(gestion, preview)
    with app.app_context():
        assert db.session.query(School).filter_by(uai="0020001R").one().commune == "Tergnier"
        assert db.session.query(Cooperative).filter(Cooperative.affiliation_number.like("0270%")).count() == 2


def test_memberships_import_for_a_chosen_year(app, gestion):
    confirm(gestion, html.unescape(upload(gestion, GOOD).get_data(as_text=True)))
    from app.years.service import get_or_create_year

    with app.app_context():
        year = get_or_create_year("2025-2026")
        db.session.commit()
        year_id = str(year.id)
    content = "Numéro d'affiliation,Nb élèves,Nb adultes,Cotisation\n027001,120,6,\"2,05\"\n027002,80,4,\"2,05\"\n"
    preview = html.unescape(upload(gestion, content, kind="memberships", year_id=year_id).get_data(as_text=True))
    assert "2025-2026" in preview and "2 créations" in preview
    confirm(gestion, preview)
    with app.app_context():
        rows = db.session.query(Membership).join(Cooperative).filter(Cooperative.affiliation_number.in_(["027001", "027002"])).all()
        assert sorted(row.members for row in rows) == [84, 126]
        assert {row.school_year.label for row in rows} == {"2025-2026"}


def test_other_file_types_are_refused_in_french(gestion):
    page = html.unescape(upload(gestion, "x", filename="adherents.ods").get_data(as_text=True))
    assert "Seuls les fichiers CSV et XLSX sont acceptés." in page


def test_a_confirmation_without_its_file_is_refused(gestion):
    token = csrf_token(gestion, "/annuaire/import/")
    page = gestion.post("/annuaire/import/confirmer", data={"csrf_token": token, "token": "../../secret", "kind": "cooperatives"}, follow_redirects=True)
    assert "Ce fichier n'est plus disponible" in html.unescape(page.get_data(as_text=True))


def test_only_gestion_imports(app):
    client = app.test_client()
    login(client, "animation")
    assert client.get("/annuaire/import/").status_code == 403
