"""Financial aid in the year's activity report (order 40)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select

from app.aid.models import GRANTED, KINDS, PAID, REFUSED, REPORTED, AidRequest
from app.aid.service import totals
from app.directory.report import counted, number
from app.extensions import db
from app.money import money
from app.plugins.info import ReportChart, ReportSection, ReportTable

ORDER = 40
#: Statuses of a request the commission granted (then paid, then reported on).
GRANTED_STATUSES = (GRANTED, PAID, REPORTED)


def by_kind(year) -> list[tuple[str, int, int, Decimal, Decimal, Decimal]]:
    """``(kind label, requests, granted, requested €, granted €, paid €)``; one grouped query."""
    is_granted = AidRequest.status.in_(GRANTED_STATUSES)
    rows = db.session.execute(
        select(
            AidRequest.kind,
            func.count(AidRequest.id),
            func.sum(case((is_granted, 1), else_=0)),
            func.coalesce(func.sum(AidRequest.amount_requested), 0),
            func.coalesce(func.sum(case((is_granted, AidRequest.amount_granted), else_=0)), 0),
            func.coalesce(func.sum(AidRequest.amount_paid), 0),
        )
        .filter(AidRequest.school_year_id == year.id)
        .group_by(AidRequest.kind)
    ).all()
    order = list(KINDS)
    rows = sorted(rows, key=lambda row: order.index(row[0]) if row[0] in order else 99)
    return [(KINDS.get(kind, kind), int(count), int(granted or 0), Decimal(req), Decimal(gra), Decimal(paid)) for kind, count, granted, req, gra, paid in rows]


def report_sections(year) -> list[ReportSection]:
    """« Aides financières » for ``year``.

    The figures match « Aides financières › Demandes d'aide » for ``year`` as the viewed year
    (every request of the year); granted = status Accordée, Versée or Bilan reçu, with the
    amounts the list's totals show (app.aid.service.totals); refused = status Refusée.
    """
    figures = totals(year)
    kinds = by_kind(year)
    if not figures["count"]:
        return [ReportSection(title="Aides financières", order=ORDER, figures=(("Demandes d'aide", "0"),), paragraphs=("Aucune aide demandée cette année.",))]
    granted = sum(row[2] for row in kinds)
    refused = db.session.execute(
        select(func.count(AidRequest.id)).filter(AidRequest.school_year_id == year.id, AidRequest.status == REFUSED)
    ).scalar_one()
    paragraph = (
        f"{counted(figures['count'], 'demande')} d'aide reçue{'s' if figures['count'] > 1 else ''} pour {money(figures['requested'])} ; "
        f"{counted(granted, 'aide accordée', 'aides accordées')} pour {money(figures['granted'])}, "
        f"{money(figures['paid'])} versés ; {counted(refused, 'demande refusée', 'demandes refusées')}."
    )
    return [
        ReportSection(
            title="Aides financières",
            order=ORDER,
            figures=(
                ("Demandes d'aide", number(figures["count"])),
                ("Aides accordées", number(granted)),
                ("Montant accordé", money(figures["granted"])),
                ("Montant versé", money(figures["paid"])),
            ),
            paragraphs=(paragraph,),
            tables=(
                ReportTable(
                    columns=("Type d'aide", "Demandes", "Accordées", "Demandé (€)", "Accordé (€)", "Versé (€)"),
                    rows=tuple(kinds),
                    title="Aides par type",
                    total=("Total", figures["count"], granted, figures["requested"], figures["granted"], figures["paid"]),
                ),
            ),
            charts=(
                ReportChart(
                    title="Aides financières (€)",
                    labels=("Demandé", "Accordé", "Versé"),
                    values=(float(figures["requested"]), float(figures["granted"]), float(figures["paid"])),
                    unit="€",
                ),
            ),
        )
    ]
