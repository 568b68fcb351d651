"""The per-year switch: which plugins are on for a school year.

Core areas are always on. A yearly plugin is on for a year only when a row
of :class:`PluginActivation` says so; switching it off hides its menu for
that year and keeps its views, permissions and rows.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context
from sqlalchemy import select

from app.extensions import db
from app.plugins.manager import LoadedPlugin, PluginManager
from app.plugins.models import PluginActivation
from app.years.context import viewed_year
from app.years.models import SchoolYear


def current_manager() -> PluginManager:
    return current_app.extensions["occe_plugins"]


def enabled_codes(year: SchoolYear | None) -> set[str]:
    """Codes of the yearly plugins switched on for ``year``."""
    if year is None:
        return set()
    rows = db.session.execute(
        select(PluginActivation.plugin_code).filter_by(school_year_id=year.id, enabled=True)
    ).scalars()
    return set(rows)


def is_on(plugin: LoadedPlugin, year: SchoolYear | None) -> bool:
    return plugin.ok and (not plugin.yearly or plugin.code in enabled_codes(year))


def plugins_on(manager: PluginManager, year: SchoolYear | None) -> list[LoadedPlugin]:
    """The loaded plugins that are on for ``year``, core first."""
    codes = enabled_codes(year)
    return [plugin for plugin in manager.loaded() if not plugin.yearly or plugin.code in codes]


def on_for_viewed_year(code: str) -> bool:
    """Menu condition of a yearly plugin; one query per request at most."""
    if not has_request_context():
        return False
    if "occe_enabled_codes" not in g:
        g.occe_enabled_codes = enabled_codes(viewed_year())
    return code in g.occe_enabled_codes


def set_switch(manager: PluginManager, plugin: LoadedPlugin, year: SchoolYear, enabled: bool, user_id: int | None = None) -> bool:
    """Switch ``plugin`` on or off for ``year``, commit, then tell the plugin.

    Returns False when nothing changed. Raises ValueError (French) for a core area.
    """
    if not plugin.yearly:
        raise ValueError(f"« {plugin.label} » fait partie du cœur : il ne se désactive pas.")
    row = db.session.execute(
        select(PluginActivation).filter_by(plugin_code=plugin.code, school_year_id=year.id)
    ).scalar_one_or_none()
    if row is not None and row.enabled == enabled:
        return False
    if row is None:
        if not enabled:
            return False
        row = PluginActivation(plugin_code=plugin.code, school_year_id=year.id)
        db.session.add(row)
    row.enabled = enabled
    row.changed_by_id = user_id
    db.session.commit()
    if has_request_context():
        g.pop("occe_enabled_codes", None)
    if plugin.ok:
        manager.call_one(plugin, "occe_plugin_switched", year=year, enabled=enabled)
    return True


def activations(year_ids: list[int]) -> dict[tuple[str, int], bool]:
    """``{(code, year id): enabled}`` for the Plugins page, in one query."""
    rows = db.session.execute(
        select(PluginActivation.plugin_code, PluginActivation.school_year_id, PluginActivation.enabled).where(
            PluginActivation.school_year_id.in_(year_ids)
        )
    )
    return {(code, year_id): enabled for code, year_id, enabled in rows}
