"""The school year a staff member is looking at (the current one unless they chose another)."""

from __future__ import annotations

from flask import g, has_request_context, session

from app.extensions import db
from app.years.models import SchoolYear
from app.years.service import current_year

SESSION_KEY = "occe_year_id"


def viewed_year() -> SchoolYear | None:
    """The year chosen in the navigation bar, else the current year; cached per request."""
    if not has_request_context():
        return current_year()
    if "occe_viewed_year" not in g:
        year = None
        year_id = session.get(SESSION_KEY)
        if year_id is not None:
            year = db.session.get(SchoolYear, year_id)
        g.occe_viewed_year = year or current_year()
    return g.occe_viewed_year


def choose_year(year: SchoolYear) -> None:
    """Remember ``year`` as the viewed year for this session (the current one clears the choice)."""
    if year.is_current:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = year.id
    g.pop("occe_viewed_year", None)
