"""Finding and declaring the year's actions: plugins declare theirs, staff add theirs in the console."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.actions.models import Action
from app.extensions import db


def slug(text: str) -> str:
    """A short ASCII code for an action name: « Consom'acteur 2025 » → ``consom_acteur_2025``."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:60] or "action"


def actions_of(year, plugin_code: str | None = None) -> list[Action]:
    query = select(Action).filter(Action.school_year_id == year.id).order_by(Action.name)
    if plugin_code is not None:
        query = query.filter(Action.plugin_code == plugin_code)
    return list(db.session.execute(query).scalars())


def get_action(year, code: str) -> Action | None:
    return db.session.execute(select(Action).filter_by(school_year_id=year.id, code=code)).scalar_one_or_none()


def ensure_action(year, code: str, name: str, *, plugin_code: str | None = None, **fields) -> Action:
    """The action ``code`` of ``year``, created with ``fields`` when missing (never duplicated). The caller commits.

    A plugin calls it from ``occe_plugin_switched`` or ``occe_demo_data`` to
    declare its action; an existing action is left as staff edited it.
    """
    found = get_action(year, code)
    if found is None:
        found = Action(school_year_id=year.id, code=code, name=name, plugin_code=plugin_code, **fields)
        db.session.add(found)
        db.session.flush()
    return found


@dataclass(frozen=True)
class Proposal:
    """One line of the end-of-August proposals: an action open (or opening) for registration."""

    action: Action
    opens_on: date | None
    closes_on: date | None
    plugin_label: str


def august_proposals(year, today: date | None = None) -> list[Proposal]:
    """The actions of ``year`` offered in the end-of-August mailing: flagged, switched on, not yet closed."""
    from app.plugins.switches import current_manager, plugins_on

    today = today or date.today()
    on = {plugin.code: plugin.label for plugin in plugins_on(current_manager(), year)}
    proposals = []
    for action in actions_of(year):
        if not action.in_proposals or (action.closes_on and action.closes_on < today):
            continue
        if action.plugin_code and action.plugin_code not in on:
            continue
        proposals.append(Proposal(action, action.opens_on, action.closes_on, on.get(action.plugin_code, "")))
    return proposals
