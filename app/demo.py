"""``flask occe demo``: fictional but realistic data, the same on every run."""

from __future__ import annotations

from app.extensions import db
from app.plugins.switches import current_manager, plugins_on
from app.years.service import ensure_current_year, get_or_create_year, previous_label

#: How many past years the demonstration keeps (the plan compares with last year).
PAST_YEARS = 2


def load_demo() -> list[str]:
    """Create the current and past school years, then let each plugin add its rows."""
    current = ensure_current_year()
    label = current.label
    years = [current]
    for _ in range(PAST_YEARS):
        label = previous_label(label)
        years.append(get_or_create_year(label))
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
