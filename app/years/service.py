"""Rules about school years, as plain functions over the database session."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update

from app.extensions import db
from app.years.models import SchoolYear

LABEL_PATTERN = re.compile(r"^(\d{4})-(\d{4})$")


def label_problem(label: str) -> str | None:
    """Why ``label`` is not a school year label such as "2025-2026" (in French), or None."""
    match = LABEL_PATTERN.match(label or "")
    if not match:
        return "Le libellé d'une année scolaire s'écrit « AAAA-AAAA », par exemple « 2025-2026 »."
    first, second = (int(part) for part in match.groups())
    if second != first + 1:
        return f"Une année scolaire va d'une année à la suivante : « {first}-{first + 1} »."
    if not 1950 <= first <= 2200:
        return "Cette année scolaire est hors des limites raisonnables (1950-2200)."
    return None


def label_for(day: date) -> str:
    """The label of the school year containing ``day`` (a year starts on 1 September)."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def bounds(label: str) -> tuple[date, date]:
    """First and last day of the school year ``label``."""
    problem = label_problem(label)
    if problem:
        raise ValueError(problem)
    first = int(label[:4])
    return date(first, 9, 1), date(first + 1, 8, 31)


def previous_label(label: str) -> str:
    first = int(label[:4])
    return f"{first - 1}-{first}"


def get_year(label: str) -> SchoolYear | None:
    return db.session.execute(select(SchoolYear).filter_by(label=label)).scalar_one_or_none()


def get_or_create_year(label: str) -> SchoolYear:
    """The year ``label``, created (not current) when missing. The caller commits."""
    year = get_year(label)
    if year is None:
        start, end = bounds(label)
        year = SchoolYear(label=label, start_date=start, end_date=end, is_current=False)
        db.session.add(year)
        db.session.flush()
    return year


def current_year() -> SchoolYear | None:
    return db.session.execute(select(SchoolYear).filter_by(is_current=True)).scalars().first()


def set_current(year: SchoolYear) -> None:
    """Make ``year`` the one current year. The caller commits."""
    db.session.execute(update(SchoolYear).where(SchoolYear.id != year.id).values(is_current=False))
    year.is_current = True
    db.session.flush()


def ensure_current_year(today: date | None = None) -> SchoolYear:
    """Return the current year; when none is marked, mark the one containing ``today``."""
    year = current_year()
    if year is None:
        year = get_or_create_year(label_for(today or date.today()))
        set_current(year)
    return year


def all_years() -> list[SchoolYear]:
    return list(db.session.execute(select(SchoolYear).order_by(SchoolYear.start_date.desc())).scalars())
