"""One description of the plugins, for ``flask occe plugins`` (the web page reads the same objects)."""

from __future__ import annotations

from app.plugins.manager import PluginManager
from app.plugins.switches import activations
from app.years.service import all_years


def plugin_lines(manager: PluginManager) -> list[str]:
    years = all_years()
    states = activations([year.id for year in years])
    lines = []
    for plugin in manager.describe():
        kind = plugin.info.kind_label if plugin.info else "?"
        lines.append(f"{plugin.code} — {plugin.label} {plugin.version} [{kind}] : {plugin.status}")
        lines.append(f"    source : {plugin.source}")
        lines.append(f"    crochets : {', '.join(plugin.hooks) or 'aucun'}")
        if plugin.yearly:
            per_year = ", ".join(
                f"{year.label} {'actif' if states.get((plugin.code, year.id)) else 'inactif'}" for year in years
            )
            lines.append(f"    années : {per_year or 'aucune année scolaire'}")
        elif plugin.ok:
            lines.append("    années : toujours actif")
        for error in plugin.errors:
            lines.append(f"    ERREUR : {error}")
    return lines
