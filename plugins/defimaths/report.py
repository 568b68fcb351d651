"""DéfiMaths in the year's activity report: classes by cycle, rounds sent, diplomas."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.extensions import db
from app.plugins import ReportChart, ReportSection, ReportTable
from app.report.helpers import french_value, plural

from .models import CYCLES, DefimathsRound
from .services import edition_of, totals


def section(year) -> ReportSection:
    """Classes taking part (retenue or réalisée: those of the scores page and the diplomas), by cycle."""
    edition = edition_of(year)
    rows = totals(year)
    by_cycle = Counter(row["cycle"] for row in rows)
    points = Counter()
    for row in rows:
        points[row["cycle"]] += row["total"] or 0
    sent = db.session.execute(select(func.count(DefimathsRound.id)).filter(DefimathsRound.school_year_id == year.id, DefimathsRound.sent_on.isnot(None))).scalar_one()
    theme = f" sur le thème « {edition.theme} »" if edition and edition.theme else ""
    cycles = [(label, by_cycle.get(cycle, 0), round(points[cycle] / by_cycle[cycle], 1) if by_cycle.get(cycle) else 0) for cycle, label in CYCLES.items()]
    unknown = by_cycle.get(None, 0)
    if unknown:
        cycles.append(("Cycle non renseigné", unknown, round(points[None] / unknown, 1)))
    return ReportSection(
        title="DéfiMaths",
        order=110,
        figures=(("classes participantes", french_value(len(rows))), ("manches envoyées sur 3", french_value(sent)), ("diplômes", french_value(len(rows)))),
        paragraphs=(f"{plural(len(rows), 'classe')} ont relevé le DéfiMaths{theme} : {plural(sent, 'manche envoyée', 'manches envoyées')}, "
                    "des épreuves inventées pour les trois cycles, un diplôme pour chaque classe.",),
        tables=(ReportTable(columns=("Cycle", "Classes", "Points moyens"), rows=tuple(cycles), total=("Total", len(rows), "")),),
        charts=(ReportChart(title="DéfiMaths : classes par cycle", labels=tuple(label for label, *_ in cycles), values=tuple(count for _, count, _ in cycles)),),
    )
