"""The handle a plugin receives in ``occe_views`` to add its views and menu entries."""

from __future__ import annotations

from collections.abc import Callable

from flask_appbuilder import AppBuilder
from flask_appbuilder.menu import Menu


class PluginMenu:
    """Adds views for one plugin, hiding its menu entries when ``cond`` says so.

    A thin wrapper over :class:`flask_appbuilder.AppBuilder`: the arguments are
    FAB's own (``name``, ``label``, ``category``, ``icon``...). Views are always
    registered, so their permissions survive a plugin switched off for a year.
    """

    def __init__(self, appbuilder: AppBuilder, code: str, cond: Callable[[], bool] | None):
        self.appbuilder = appbuilder
        self.code = code
        self.cond = cond

    def add_view(self, view, name: str, **kwargs):
        kwargs.setdefault("menu_cond", self.cond)
        return self.appbuilder.add_view(view, name, **kwargs)

    def add_view_no_menu(self, view, endpoint: str | None = None, static_folder: str | None = None):
        return self.appbuilder.add_view_no_menu(view, endpoint=endpoint, static_folder=static_folder)

    def add_link(self, name: str, href: str, **kwargs) -> None:
        kwargs.setdefault("cond", self.cond)
        self.appbuilder.add_link(name, href, **kwargs)

    def add_separator(self, category: str) -> None:
        self.appbuilder.add_separator(category, cond=self.cond)


def hide_empty_categories(appbuilder: AppBuilder) -> None:
    """Hide a menu category when none of its entries is shown (e.g. a plugin off this year)."""
    for item in appbuilder.menu.get_list():
        if item.childs and item.cond is None:
            item.cond = _any_child_shown(item)


def _any_child_shown(item) -> Callable[[], bool]:
    return lambda: any(child.should_render() for child in item.childs if child.name != "-")


class ConsoleMenu(Menu):
    """FAB's menu with its flat list of names fixed.

    FAB's ``get_flat_name_list`` passes its result list down the recursion and
    then extends the list with itself: the list doubles at every category, so
    with 19 categories ``/api/v1/menu/`` walked millions of names and took
    minutes for any signed-in person (an easy denial of service).
    """

    def get_flat_name_list(self, menu: list | None = None, result: list | None = None) -> list:
        result = [] if result is None else result
        for item in self.menu if menu is None else menu:
            result.append(item.name)
            if item.childs:
                self.get_flat_name_list(item.childs, result)
        return result
