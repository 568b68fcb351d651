"""Alembic for the core and each plugin: from empty to the models' schema, and back."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from flask_migrate import downgrade as downgrade_core
from sqlalchemy import inspect

from app.extensions import db
from app.plugins import migrations
from app.plugins.switches import current_manager
from app.testing import build_test_app, schema_differences
from tests.conftest import FIXTURE_PLUGINS


def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_upgrading_from_empty_reaches_the_core_models_exactly(app):
    assert schema_differences(app) == []


def test_upgrading_from_empty_reaches_each_plugin_model_exactly(app):
    with app.app_context():
        codes = [plugin.code for plugin in current_manager().loaded() if plugin.migrations_dir]
    assert codes == ["good_action"]
    for code in codes:
        assert schema_differences(app, code) == []


def test_each_plugin_has_its_own_version_table(app):
    names = table_names(app)
    assert {"alembic_version", "good_action_alembic_version", "good_action_participation"} <= names
    with app.app_context():
        plugin = current_manager().get("good_action")
        assert migrations.plugin_current("good_action") == migrations.plugin_heads(plugin) == ("good_action_0001",)


def test_upgrade_twice_changes_nothing(app):
    before = table_names(app)
    with app.app_context():
        assert [] == __import__("app.cli", fromlist=["run_upgrade"]).run_upgrade(echo=lambda *a, **k: None)
    assert table_names(app) == before


def test_plugin_then_core_downgrade_to_base_and_up_again(tmp_path):
    app = build_test_app(tmp_path, name="downgrade", plugin_packages=[FIXTURE_PLUGINS])
    with app.app_context():
        plugin = current_manager().get("good_action")
        migrations.downgrade_plugin(plugin, "base")
        assert not any(name.startswith("good_action_participation") for name in inspect(db.engine).get_table_names())
        db.session.remove()
        downgrade_core(directory=app.extensions["migrate"].directory, revision="base")
        remaining = set(inspect(db.engine).get_table_names())
        assert remaining <= {"alembic_version", "good_action_alembic_version"}
        from app.cli import run_upgrade

        assert run_upgrade(echo=lambda *a, **k: None) == []
    assert schema_differences(app) == [] and schema_differences(app, "good_action") == []


def test_removing_a_plugin_folder_keeps_its_tables_and_upgrade_passes(tmp_path, monkeypatch):
    package = tmp_path / "removable_plugins"
    shutil.copytree(sys.modules["tests.fixture_plugins"].__path__[0] + "/good_action", package / "good_action")
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    app = build_test_app(tmp_path / "db", name="removal", plugin_packages=["removable_plugins"])
    with app.app_context():
        db.session.execute(db.text("INSERT INTO good_action_participation (school_year_id, school_name, class_name) SELECT id, 'École', 'CP' FROM occe_school_year"))
        db.session.commit()

    shutil.rmtree(package / "good_action")
    for name in [name for name in sys.modules if name.startswith("removable_plugins")]:
        del sys.modules[name]
    app_without = build_test_app(tmp_path / "db", name="removal", plugin_packages=["removable_plugins"], migrate=False,
                                 SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    runner = app_without.test_cli_runner()
    result = runner.invoke(args=["occe", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "Plugin good_action : absent du disque, ses tables sont conservées" in result.output
    with app_without.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM good_action_participation")).scalar_one() == 1
        # the core's autogenerate does not propose to drop the orphan tables
        assert schema_differences(app_without) == []

    result = runner.invoke(args=["occe", "plugin", "purge", "good_action"], input="n\n")
    assert result.exit_code != 0
    assert "good_action_participation" in table_names(app_without)
    result = runner.invoke(args=["occe", "plugin", "purge", "good_action", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde : " in result.output
    backup = result.output.split("Sauvegarde : ")[1].splitlines()[0].strip()
    assert Path(backup).is_file() and Path(backup).stat().st_size > 0
    assert not {"good_action_participation", "good_action_alembic_version"} & table_names(app_without)


@pytest.mark.parametrize("name", ["ab_user", "occe_school_year", "alembic_version"])
def test_plugin_autogenerate_ignores_core_tables(name):
    include = migrations.plugin_include_object("good_action")
    assert include(None, name, "table", True, None) is False
    assert include(None, "good_action_participation", "table", True, None) is True
    assert migrations.core_include_object(None, "good_action_participation", "table", True, None) is False
