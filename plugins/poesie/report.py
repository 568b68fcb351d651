"""La Picardie en Poésie in the year's activity report: classes, productions received and placed in the anthology."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.plugins import ReportSection, ReportTable
from app.report.helpers import french_value, plural

from .models import PoesieChapter, PoesieProduction
from .services import figures


def section(year) -> ReportSection:
    """Figures of the dashboard card (:func:`figures`); productions per chapter as the « Répartition » page shows them."""
    found = figures(year)
    chapters = db.session.execute(
        select(PoesieChapter.title, func.count(PoesieProduction.id))
        .outerjoin(PoesieProduction, PoesieProduction.chapter_id == PoesieChapter.id)
        .filter(PoesieChapter.school_year_id == year.id)
        .group_by(PoesieChapter.id, PoesieChapter.title, PoesieChapter.position)
        .order_by(PoesieChapter.position)
    ).all()
    return ReportSection(
        title="La Picardie en Poésie",
        order=180,
        figures=(("classes inscrites", french_value(found["classes"])), ("productions reçues", french_value(found["received"])), ("dans l'ouvrage-recueil", french_value(found["placed"]))),
        paragraphs=(f"{plural(found['classes'], 'classe inscrite', 'classes inscrites')} ; {plural(found['received'], 'production reçue', 'productions reçues')}, "
                    f"dont {french_value(found['placed'])} dans les {plural(len(chapters), 'chapitre')} de l'ouvrage-recueil, avec les Éditions L'ail des ours.",),
        tables=(ReportTable(columns=("Chapitre", "Productions"), rows=tuple((title, count) for title, count in chapters)),),
    )
