"""The school year a staff member is looking at (the current one unless they chose another)."""

from __future__ import annotations

from flask import g, has_request_context, session

from app.extensions import db
from app.years.models import SchoolYear
from app.years.service import current_year

SESSION_KEY = "occe_year_id"


def viewed_year(years: list[SchoolYear] | None = None) -> SchoolYear | None:
    """The year chosen in the navigation bar, else the current year; cached per request.

    ``years``, when the caller already loaded every year (the navigation bar
    does), saves the query.
    """
    if not has_request_context():
        return current_year()
    if "occe_viewed_year" not in g:
        year_id = session.get(SESSION_KEY)
        if years is not None:
            by_id = {year.id: year for year in years}
            year = by_id.get(year_id) or next((year for year in years if year.is_current), None)
        else:
            year = db.session.get(SchoolYear, year_id) if year_id is not None else None
            year = year or current_year()
        g.occe_viewed_year = year
    return g.occe_viewed_year


def choose_year(year: SchoolYear) -> None:
    """Remember ``year`` as the viewed year for this session (the current one clears the choice)."""
    if year.is_current:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = year.id
    g.pop("occe_viewed_year", None)
