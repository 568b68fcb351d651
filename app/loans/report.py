"""Loans in the year's activity report (order 50)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select

from app.directory.report import counted, number
from app.extensions import db
from app.loans.kinds import item_kinds
from app.loans.models import CANCELLED, OUT, RETURNED, Loan, LoanItem
from app.plugins.info import ReportChart, ReportSection, ReportTable

ORDER = 50


def by_kind(year, today: date) -> list[tuple[str, int, int, int]]:
    """``(item kind label, loans, distinct items lent, late returns)`` of the year; one grouped query."""
    late = or_(
        and_(Loan.status == RETURNED, Loan.returned_on > Loan.ends_on),
        and_(Loan.status == OUT, Loan.ends_on < today),
    )
    rows = db.session.execute(
        select(LoanItem.kind, func.count(Loan.id), func.count(func.distinct(Loan.item_id)), func.sum(case((late, 1), else_=0)))
        .join(LoanItem, LoanItem.id == Loan.item_id)
        .filter(Loan.school_year_id == year.id, Loan.status != CANCELLED)
        .group_by(LoanItem.kind)
    ).all()
    kinds = item_kinds()
    order = list(kinds)
    rows = sorted(rows, key=lambda row: (order.index(row[0]) if row[0] in order else 99, row[0]))
    return [(kinds[code].label if code in kinds else code, int(loans), int(items), int(late or 0)) for code, loans, items, late in rows]


def report_sections(year, today: date | None = None) -> list[ReportSection]:
    """« Prêts de matériel » for ``year``.

    The figures match « Prêts › Prêts » filtered on the school year, cancelled loans left out
    (status Réservée, Sortie or Rendue); items lent = distinct items of those loans; late
    returns = loans given back after their return date, plus those still out past it (the
    « Prêts en retard » page).
    """
    today = today or date.today()
    kinds = by_kind(year, today)
    loans = sum(row[1] for row in kinds)
    if not loans:
        return [ReportSection(title="Prêts de matériel", order=ORDER, figures=(("Prêts", "0"),), paragraphs=("Aucun prêt de matériel cette année.",))]
    items = db.session.execute(
        select(func.count(func.distinct(Loan.item_id))).filter(Loan.school_year_id == year.id, Loan.status != CANCELLED)
    ).scalar_one()
    cooperatives = db.session.execute(
        select(func.count(func.distinct(Loan.cooperative_id))).filter(Loan.school_year_id == year.id, Loan.status != CANCELLED)
    ).scalar_one()
    late = sum(row[3] for row in kinds)
    paragraph = (
        f"{counted(loans, 'prêt')} à {counted(cooperatives, 'coopérative')}, {counted(items, 'article')} prêté{'s' if items > 1 else ''} ; "
        f"{counted(late, 'retour en retard', 'retours en retard')}."
    )
    return [
        ReportSection(
            title="Prêts de matériel",
            order=ORDER,
            figures=(("Prêts", number(loans)), ("Articles prêtés", number(items)), ("Retours en retard", number(late))),
            paragraphs=(paragraph,),
            tables=(
                ReportTable(
                    columns=("Type d'article", "Prêts", "Articles prêtés", "Retours en retard"),
                    rows=tuple(kinds),
                    title="Prêts par type d'article",
                    total=("Total", loans, items, late),
                ),
            ),
            charts=(ReportChart(title="Prêts par type d'article", labels=tuple(row[0] for row in kinds), values=tuple(float(row[1]) for row in kinds)),),
        )
    ]
