"""``flask occe``: init, demo, and a new plugin from ``plugin new`` to a working menu."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import ROOT
from app.extensions import db
from app.testing import build_test_app, login
from app.years.models import SchoolYear
from app.years.service import current_year


def test_init_creates_the_admin_from_the_environment(tmp_path, monkeypatch):
    app = build_test_app(tmp_path, name="init_env", plugin_packages=[])
    runner = app.test_cli_runner()
    monkeypatch.setenv("OCCE_ADMIN_USERNAME", "directrice")
    monkeypatch.setenv("OCCE_ADMIN_EMAIL", "directrice@example.org")
    monkeypatch.setenv("OCCE_ADMIN_PASSWORD", "court")
    # test apps come with an administrator: demote it so that init has one to create
    with app.app_context():
        sm = app.appbuilder.sm
        admin = sm.find_user(username="admin")
        admin.roles = [sm.find_role("Gestion")]
        db.session.commit()
    result = runner.invoke(args=["occe", "init"])
    assert result.exit_code != 0
    assert "au moins 12 caractères" in result.output
    monkeypatch.setenv("OCCE_ADMIN_PASSWORD", "une phrase de passe assez longue")
    result = runner.invoke(args=["occe", "init"])
    assert result.exit_code == 0, result.output
    assert "Administrateur « directrice » créé." in result.output
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="directrice")
        assert [role.name for role in user.roles] == ["Admin"]
    result = runner.invoke(args=["occe", "init"])
    assert "Un administrateur existe déjà." in result.output


def test_init_refuses_an_admin_without_the_admin_role(tmp_path):
    app = build_test_app(tmp_path, name="init_norole", plugin_packages=[], migrate=False)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["occe", "upgrade"]).exit_code == 0
    from app.cli import create_admin

    with app.app_context():
        import click

        with pytest.raises(click.ClickException, match="rôle Admin n'existe pas"):
            create_admin("x", "x@example.org", "une phrase de passe assez longue")
        assert app.appbuilder.sm.find_user(username="x") is None


def test_demo_admin_password_is_printed_and_works(tmp_path):
    app = build_test_app(tmp_path, name="init_demo", plugin_packages=[], migrate=False)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["occe", "upgrade"]).exit_code == 0
    first = runner.invoke(args=["occe", "init", "--demo-admin"])
    assert first.exit_code == 0, first.output
    password = first.output.split("Mot de passe : ")[1].split()[0]
    again = runner.invoke(args=["occe", "init", "--demo-admin"])
    assert password in again.output
    client = app.test_client()
    login(client, "admin", password)
    assert "Tableau de bord" in client.get("/").get_data(as_text=True)
    assert "Partenaire de démonstration" not in again.output  # no organisation works on an action yet


def test_demo_admin_also_prints_a_partner_login_once_an_organisation_works_on_an_action(tmp_path):
    from app.actions.catalogue import ensure_action
    from app.association.models import Partner
    from app.partners.models import ActionPartner, PartnerAccount
    from app.years.service import ensure_current_year

    app = build_test_app(tmp_path, name="init_partner", plugin_packages=[], migrate=False)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["occe", "upgrade"]).exit_code == 0
    with app.app_context():
        year = ensure_current_year()
        lonely, busy = Partner(name="Compagnie seule"), Partner(name="Caravane d'Art - Cie Allant Vers")
        db.session.add_all([lonely, busy])
        actions = [ensure_action(year, code, code.upper()) for code in ("thea", "bals")]
        db.session.flush()
        db.session.add_all([ActionPartner(action_id=actions[0].id, partner_id=lonely.id)] + [ActionPartner(action_id=a.id, partner_id=busy.id) for a in actions])
        db.session.commit()
    first = runner.invoke(args=["occe", "init", "--demo-admin"])
    assert first.exit_code == 0, first.output
    assert "Partenaire de démonstration (Caravane d'Art - Cie Allant Vers) : identifiant partenaire" in first.output
    password = first.output.split("identifiant partenaire   Mot de passe : ")[1].split()[0]
    assert password in runner.invoke(args=["occe", "init", "--demo-admin"]).output
    with app.app_context():
        assert db.session.query(PartnerAccount).count() == 1
    client = app.test_client()
    login(client, "partenaire", password)
    assert "Mes classes" in client.get("/partenaire/classes/list/").get_data(as_text=True)


def test_demo_is_deterministic_and_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["occe", "demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        years = [year.label for year in db.session.query(SchoolYear).order_by(SchoolYear.label)]
        tables = ("good_action_participation", "occe_loan", "occe_loan_item", "occe_intervention_request", "occe_membership")
        counts = {table: db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables}
    assert "ERREUR" not in first.output
    assert all(counts.values()), counts  # every area added rows
    assert runner.invoke(args=["occe", "demo"]).exit_code == 0
    with app.app_context():
        assert [year.label for year in db.session.query(SchoolYear).order_by(SchoolYear.label)] == years
        assert {table: db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar_one() for table in tables} == counts
        label = current_year().label
    assert f"Action modèle : données de démonstration pour {label}" in first.output
    assert len(years) >= 3


@pytest.fixture
def scaffold_package(tmp_path, monkeypatch):
    package = tmp_path / "scaffolded"
    package.mkdir()
    (package / "__init__.py").write_text('"""Plugins written by the scaffold test."""\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    yield package
    for name in [name for name in sys.modules if name.startswith("scaffolded")]:
        del sys.modules[name]


def test_plugin_new_then_upgrade_gives_a_working_menu(tmp_path, scaffold_package):
    app = build_test_app(tmp_path / "db", name="scaffold", plugin_packages=["scaffolded"])
    result = app.test_cli_runner().invoke(args=["occe", "plugin", "new", "demo_action", "--label", "Action démo", "--dest", str(scaffold_package)])
    assert result.exit_code == 0, result.output
    assert (scaffold_package / "demo_action" / "migrations" / "versions" / "demo_action_0001_initial.py").is_file()

    # a new process sees the new folder: the next start of the console
    fresh = build_test_app(tmp_path / "db", name="scaffold", plugin_packages=["scaffolded"], migrate=False,
                           SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    upgrade = fresh.test_cli_runner().invoke(args=["occe", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert "Plugin demo_action : installé et activé pour" in upgrade.output
    client = fresh.test_client()
    login(client, "animation")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/demoactionparticipationview/list/"' in home and "Action démo" in home
    assert client.get("/demoactionparticipationview/list/").status_code == 200


def test_the_scaffolded_plugin_tests_pass_untouched(tmp_path, scaffold_package):
    from app.plugins.scaffold import scaffold

    scaffold("quiz_action", scaffold_package, label="Quiz")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(scaffold_package.parent)])}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(scaffold_package / "quiz_action" / "tests")],
        cwd=scaffold_package.parent, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 passed" in result.stdout


@pytest.mark.parametrize("code, message", [("Quiz", "Code de plugin invalide"), ("occe_x", "réservé"), ("good_action", "existe déjà")])
def test_plugin_new_refuses_bad_codes_in_french(app, code, message):
    from tests.conftest import FIXTURE_PLUGINS

    dest = Path(sys.modules[FIXTURE_PLUGINS].__path__[0])
    result = app.test_cli_runner().invoke(args=["occe", "plugin", "new", code, "--dest", str(dest)])
    assert result.exit_code != 0 and message in result.output


def test_backup_writes_a_copy(app):
    result = app.test_cli_runner().invoke(args=["occe", "backup"])
    assert result.exit_code == 0, result.output
    assert Path(result.output.split("Sauvegarde : ")[1].strip()).stat().st_size > 0
