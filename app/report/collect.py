"""The year's activity report as data: every section the plugins on that year return, in order.

Core areas and action plugins answer ``occe_report_sections(year)``; a plugin
switched off for the year is not asked, so it contributes nothing. A plugin
whose hook fails is named in :attr:`Report.missing` (the report still builds,
and says which section is missing) rather than stopping the general assembly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from app.plugins import ReportSection
from app.plugins.switches import current_manager, plugins_on

HOOK = "occe_report_sections"


@dataclass
class Report:
    year_label: str
    association: str
    department: str
    generated_at: datetime
    sections: list[ReportSection] = field(default_factory=list)
    #: labels of the plugins whose section could not be built (their error is in the log and on the Plugins page)
    missing: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Rapport d'activité {self.year_label}"


def build_report(year) -> Report:
    """Ask every plugin on for ``year`` for its sections; sort them by ``order``, then title."""
    manager = current_manager()
    asked = [plugin for plugin in plugins_on(manager, year) if HOOK in plugin.hooks]
    answers = manager.call(HOOK, asked, year=year)
    sections = [section for _plugin, answer in answers for section in (answer or [])]
    answered = {plugin.code for plugin, _answer in answers}
    config = current_app.config
    return Report(
        year_label=year.label,
        association=config.get("ASSOCIATION_NAME") or "OCCE",
        department=config.get("DEPARTMENT_NAME") or "",
        generated_at=datetime.now().replace(microsecond=0),
        sections=sorted(sections, key=lambda section: (section.order, section.title)),
        missing=[plugin.label for plugin in asked if plugin.code not in answered],
    )
