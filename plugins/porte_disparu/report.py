"""Porté Disparu in the year's activity report: classes registered, kits and trunk lent, federal mails relayed."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.plugins import ReportSection, ReportTable
from app.report.helpers import french_value, loans_by_kind, plural

from .models import PorteDisparuRelayedMail
from .services import KIT_KIND, LOAN_KINDS, TRUNK_KIND, count_for


def section(year) -> ReportSection:
    """Classes as the registrations list counts them (refusals and cancellations left out); loans as the loans list."""
    classes = count_for(year)
    loans = loans_by_kind(year, (KIT_KIND, TRUNK_KIND))
    relayed, reached = db.session.execute(
        select(func.count(PorteDisparuRelayedMail.id), func.coalesce(func.sum(PorteDisparuRelayedMail.recipients), 0)).filter(PorteDisparuRelayedMail.school_year_id == year.id)
    ).one()
    labels = {kind.code: kind.label for kind in LOAN_KINDS}
    return ReportSection(
        title="Porté Disparu",
        order=120,
        figures=(("classes inscrites", french_value(classes)), ("prêts de kits et de la malle", french_value(sum(loans.values()))), ("courriels fédéraux relayés", french_value(relayed))),
        paragraphs=(f"Action fédérale sur l'environnement : {plural(classes, 'classe inscrite', 'classes inscrites')}, "
                    f"{plural(loans[KIT_KIND], 'prêt')} de kits d'espèces menacées et {plural(loans[TRUNK_KIND], 'prêt')} de la malle « Ecocoop » ; "
                    f"{plural(relayed, 'courriel fédéral relayé', 'courriels fédéraux relayés')} ({french_value(reached)} envois).",),
        tables=(ReportTable(columns=("Prêts", "Nombre"), rows=tuple((labels[kind], count) for kind, count in loans.items())),),
    )
