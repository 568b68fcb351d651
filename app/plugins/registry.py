"""Wires the loaded plugins into one application: their roles, then their views."""

from __future__ import annotations

from functools import partial

from flask_appbuilder import AppBuilder

from app.plugins.manager import PluginManager
from app.plugins.menu import PluginMenu, hide_empty_categories
from app.plugins.switches import on_for_viewed_year
from app.security.roles import Grant, core_roles, merge_grants, validate_grants


def role_definitions(manager: PluginManager) -> dict[str, list[Grant]]:
    """``FAB_ROLES``: the core's roles plus every plugin's ``occe_role_permissions``."""
    roles = core_roles()
    for plugin, answer in manager.call("occe_role_permissions"):
        try:
            merge_grants(roles, validate_grants(answer or {}))
        except (ValueError, TypeError) as exc:
            plugin.hook_errors["occe_role_permissions"] = f"{type(exc).__name__}: {exc}"
    return roles


def register_plugins(appbuilder: AppBuilder, manager: PluginManager) -> None:
    """Let each plugin add its views; a yearly plugin's menu follows its switch."""
    for plugin in manager.loaded():
        cond = partial(on_for_viewed_year, plugin.code) if plugin.yearly else None
        manager.call_one(plugin, "occe_views", menu=PluginMenu(appbuilder, plugin.code, cond))
    hide_empty_categories(appbuilder)
