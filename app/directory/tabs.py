"""The tabs of the cooperative page, gathered from every plugin (the core's own included)."""

from __future__ import annotations

from app.plugins.info import CooperativeTab
from app.plugins.switches import current_manager


def cooperative_tabs(cooperative) -> list[CooperativeTab]:
    if cooperative is None:
        return []
    tabs: list[CooperativeTab] = []
    for _plugin, answer in current_manager().call("occe_cooperative_tabs", cooperative=cooperative):
        tabs.extend(tab for tab in answer or [] if isinstance(tab, CooperativeTab))
    return tabs
