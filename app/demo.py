"""``flask occe demo``: fictional but realistic data, the same on every run."""

from __future__ import annotations

from app.extensions import db
from app.plugins.switches import current_manager, plugins_on
from app.years.service import ensure_current_year, get_or_create_year, previous_label

#: The years of the activity plan the demonstration reproduces (2025-2026 and the year before).
PLAN_YEARS = ("2025-2026", "2024-2025")


def demo_year_labels(current_label: str) -> list[str]:
    """The current year, the year before it, and the plan's years; newest first, no duplicate."""
    labels = {current_label, previous_label(current_label), *PLAN_YEARS}
    return sorted(labels, reverse=True)


def load_demo() -> list[str]:
    """Create the demonstration's school years, then let each plugin add its rows."""
    current = ensure_current_year()
    years = [get_or_create_year(label) for label in demo_year_labels(current.label)]
    db.session.commit()
    lines = [f"Années scolaires : {', '.join(year.label for year in years)} (courante : {current.label})."]
    manager = current_manager()
    for year in years:
        for plugin in plugins_on(manager, year):
            if "occe_demo_data" not in plugin.hooks:
                continue
            answered, _answer = manager.call_one(plugin, "occe_demo_data", year=year)
            if answered:
                db.session.commit()
                lines.append(f"{plugin.label} : données de démonstration pour {year.label}.")
            else:
                db.session.rollback()
                lines.append(f"{plugin.label} : ERREUR {plugin.hook_errors.get('occe_demo_data', '')}")
    return lines
