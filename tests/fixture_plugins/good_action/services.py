"""Business rules of Action modèle, as plain functions (testable without a request)."""

from sqlalchemy import func, select

from app.extensions import db
from app.years.service import get_year, previous_label

from .models import GoodActionParticipation

DEMO_PARTICIPATIONS = [
    ("École élémentaire Jean Macé, Laon", "CE2 de Mme Martin", 24),
    ("École primaire Louise Michel, Soissons", "CM1-CM2 de M. Petit", 27),
    ("École maternelle Les Tilleuls, Chauny", "Grande section de Mme Roux", 22),
]


def count_for(year) -> int:
    if year is None:
        return 0
    query = select(func.count()).select_from(GoodActionParticipation).filter_by(school_year_id=year.id)
    return db.session.execute(query).scalar_one()


def participation_counts(year) -> tuple[int, int]:
    """Participations in ``year`` and in the year before."""
    return count_for(year), count_for(get_year(previous_label(year.label)))


def add_demo_participations(year) -> None:
    """Fictional classes for ``year``; does nothing when the year already has some."""
    if count_for(year):
        return
    for school, class_name, pupils in DEMO_PARTICIPATIONS:
        db.session.add(GoodActionParticipation(school_year_id=year.id, school_name=school, class_name=class_name, pupils=pupils))


def participations_of_school(school_name: str) -> list[GoodActionParticipation]:
    """This school's participations, every year (the cooperative page's tab)."""
    query = select(GoodActionParticipation).filter_by(school_name=school_name).order_by(GoodActionParticipation.id)
    return list(db.session.execute(query).scalars())
