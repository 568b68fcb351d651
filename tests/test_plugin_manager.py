"""Discovery and failure isolation of plugins, without an application."""

from __future__ import annotations

import sys
import textwrap

import pytest

from app.plugins.info import PluginInfo, code_problem
from app.plugins.manager import HOOK_NAMES, PluginManager

FIXTURES = "tests.fixture_plugins"
CORE_CODES = ["years", "directory", "actions", "interventions", "mail", "loans", "documents", "uploads", "accounts", "aid", "sales", "trainings", "association", "partners", "teachers", "report", "audit", "plugins"]


@pytest.fixture(scope="module")
def manager():
    return PluginManager([FIXTURES], entry_points=False).load()


def test_core_areas_load_first_and_are_always_on(manager):
    codes = list(manager.plugins)
    assert codes[: len(CORE_CODES)] == CORE_CODES
    assert all(not plugin.yearly for plugin in manager.loaded()[: len(CORE_CODES)])


def test_a_good_plugin_loads_with_its_metadata_and_hooks(manager):
    plugin = manager.get("good_action")
    assert plugin.ok and plugin.errors == []
    assert plugin.label == "Action modèle" and plugin.version == "0.1.0"
    assert plugin.hooks == sorted(HOOK_NAMES)
    assert plugin.migrations_dir is not None and plugin.migrations_dir.name == "migrations"
    assert plugin.source == "dossier tests/fixture_plugins/good_action"


def test_an_import_error_is_recorded_not_raised(manager):
    plugin = manager.get("broken_import")
    assert not plugin.ok
    assert "RuntimeError: panne volontaire à l'import" in plugin.import_error
    assert plugin.status == "en erreur (non chargé)"


def test_an_unknown_hook_name_refuses_the_plugin(manager):
    plugin = manager.get("unknown_hook")
    assert not plugin.ok
    assert "occe_dashbord_cards" in plugin.import_error


def test_a_raising_hook_is_recorded_and_other_plugins_still_answer(manager):
    results = manager.call("occe_role_permissions")
    answered = [plugin.code for plugin, _ in results]
    assert "good_action" in answered and "years" in answered
    answered, result = manager.call_one(manager.get("raising_hook"), "occe_views", menu=None)
    assert (answered, result) == (False, None)
    assert manager.get("raising_hook").hook_errors["occe_views"] == "RuntimeError: panne volontaire dans occe_views"
    assert manager.get("raising_hook").status == "chargé, avec erreurs"


def test_call_passes_only_the_arguments_an_implementation_asks_for():
    manager = PluginManager([FIXTURES], entry_points=False).load()
    # call_one passes each implementation the arguments it names, taken from the keywords given
    answered, _ = manager.call_one(manager.get("good_action"), "occe_plugin_switched", year=type("Y", (), {"label": "x"})(), enabled=True)
    assert answered


def test_blocked_plugins_are_listed_but_not_imported():
    manager = PluginManager([FIXTURES], entry_points=False, blocked=["good_action"]).load()
    plugin = manager.get("good_action")
    assert plugin.blocked and not plugin.ok and plugin.status == "bloqué par la configuration"
    assert "good_action" not in manager.pm.list_name_plugin() and all(name != "good_action" for name, _ in manager.pm.list_name_plugin())


def test_safe_mode_loads_only_the_core():
    manager = PluginManager([FIXTURES], entry_points=True, safe_mode=True).load()
    assert [plugin.code for plugin in manager.describe()] == CORE_CODES


def test_a_missing_plugin_package_is_not_an_error():
    manager = PluginManager(["no_such_package_here"], entry_points=False).load()
    assert [plugin.code for plugin in manager.describe()] == CORE_CODES


def test_entry_point_plugins_are_discovered(tmp_path, monkeypatch):
    package = tmp_path / "occe_ep_demo"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            '''
            from app.plugins import PluginInfo, hookimpl
            PLUGIN = PluginInfo(code="ep_demo", label="Plugin installé", version="2.1.0")

            @hookimpl
            def occe_dashboard_cards(year):
                return []
            '''
        )
    )
    dist = tmp_path / "occe_ep_demo-2.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: occe-ep-demo\nVersion: 2.1.0\n")
    (dist / "entry_points.txt").write_text("[occe.plugins]\nep_demo = occe_ep_demo\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    manager = PluginManager([], entry_points=True).load()
    plugin = manager.get("ep_demo")
    assert plugin is not None and plugin.ok, plugin and plugin.errors
    assert plugin.source == "paquet occe-ep-demo 2.1.0"
    assert plugin.hooks == ["occe_dashboard_cards"]
    sys.modules.pop("occe_ep_demo", None)


def test_a_plugin_importing_current_app_at_its_top_still_loads(tmp_path, monkeypatch):
    """``flask.current_app`` raises RuntimeError when looked into outside an app: not a reason to refuse the plugin."""
    (tmp_path / "occe_proxy_plugins").mkdir()
    (tmp_path / "occe_proxy_plugins" / "__init__.py").write_text("")
    package = tmp_path / "occe_proxy_plugins" / "proxy_demo"
    package.mkdir()
    (package / "__init__.py").write_text(
        textwrap.dedent(
            '''
            from flask import current_app
            from app.plugins import PluginInfo, hookimpl
            PLUGIN = PluginInfo(code="proxy_demo", label="Plugin avec current_app", version="1.0.0")

            @hookimpl
            def occe_dashboard_cards(year):
                return []
            '''
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    manager = PluginManager(["occe_proxy_plugins"], entry_points=False).load()
    plugin = manager.get("proxy_demo")
    assert plugin is not None and plugin.ok, plugin and plugin.errors
    assert plugin.hooks == ["occe_dashboard_cards"]
    for name in ("occe_proxy_plugins", "occe_proxy_plugins.proxy_demo"):
        sys.modules.pop(name, None)


@pytest.mark.parametrize(
    "code, problem",
    [
        ("defimaths", None),
        ("porte_disparu", None),
        ("Défi", "Code de plugin invalide"),
        ("1action", "Code de plugin invalide"),
        ("occe_directory", "réservé"),
        ("ab", "réservé"),
    ],
)
def test_plugin_codes(code, problem):
    found = code_problem(code)
    assert (found is None) if problem is None else (problem in found)


def test_plugin_info_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="Type de plugin inconnu"):
        PluginInfo(code="x_action", label="X", kind="mystere")
