"""Finding a cooperative by what staff remember of it: its number, its school's name or its commune."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.directory.models import Cooperative, School
from app.extensions import db

SEARCH_LIMIT = 20


def find_cooperatives(text: str, limit: int = SEARCH_LIMIT) -> list[Cooperative]:
    """Cooperatives whose affiliation number, school name or commune contains ``text``."""
    pattern = f"%{text.strip()}%"
    query = (
        select(Cooperative)
        .join(School, Cooperative.school_id == School.id)
        .filter(or_(Cooperative.affiliation_number.ilike(pattern), School.name.ilike(pattern), School.commune.ilike(pattern)))
        .order_by(Cooperative.affiliation_number)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars().unique())
