"""In-class interventions in the year's activity report (order 25)."""

from __future__ import annotations

from sqlalchemy import case, func, select

from app.directory.report import counted, number
from app.extensions import db
from app.interventions.models import DONE, PLANNED, REFUSED, STATUSES, InterventionDay, InterventionRequest, InterventionTheme
from app.plugins.info import ReportChart, ReportSection, ReportTable

ORDER = 25


def per_theme(year) -> list[tuple[str, int, int, int, int]]:
    """``(theme, requests, planned, done, classes done)``; one grouped query."""
    is_done = InterventionRequest.status == DONE
    rows = db.session.execute(
        select(
            InterventionTheme.name,
            func.count(InterventionRequest.id),
            func.sum(case((InterventionRequest.status == PLANNED, 1), else_=0)),
            func.sum(case((is_done, 1), else_=0)),
            func.count(func.distinct(case((is_done, InterventionRequest.classroom_id)))),
        )
        .join(InterventionTheme, InterventionTheme.id == InterventionRequest.theme_id)
        .filter(InterventionRequest.school_year_id == year.id)
        .group_by(InterventionTheme.id, InterventionTheme.name)
        .order_by(InterventionTheme.name)
    ).all()
    return [(name, int(count), int(planned or 0), int(done or 0), int(classes or 0)) for name, count, planned, done, classes in rows]


def report_sections(year) -> list[ReportSection]:
    """« Interventions en classe » for ``year``.

    The figures match the console's lists for ``year`` as the viewed year: requests received =
    « Demandes d'intervention » (every status); planned / done / refused = the same list
    filtered on its status; intervention days = « Journées d'intervention », held = those with at
    least one request done; classes = distinct classes of the requests done.
    """
    themes = per_theme(year)
    statuses = dict(
        db.session.execute(
            select(InterventionRequest.status, func.count(InterventionRequest.id))
            .filter(InterventionRequest.school_year_id == year.id)
            .group_by(InterventionRequest.status)
        ).all()
    )
    days, days_held = db.session.execute(
        select(
            func.count(InterventionDay.id),
            func.count(
                case((InterventionDay.id.in_(select(InterventionRequest.day_id).filter(InterventionRequest.school_year_id == year.id, InterventionRequest.status == DONE, InterventionRequest.day_id.is_not(None))), 1))
            ),
        ).filter(InterventionDay.school_year_id == year.id)
    ).one()
    requests = sum(int(count) for count in statuses.values())
    done = int(statuses.get(DONE, 0))
    classes = db.session.execute(
        select(func.count(func.distinct(InterventionRequest.classroom_id))).filter(
            InterventionRequest.school_year_id == year.id, InterventionRequest.status == DONE
        )
    ).scalar_one()
    if not requests and not days:
        return [ReportSection(title="Interventions en classe", order=ORDER, figures=(("Demandes reçues", "0"),), paragraphs=("Aucune demande d'intervention cette année.",))]
    paragraphs = [
        f"{counted(requests, 'demande')} d'intervention reçue{'s' if requests > 1 else ''} ; "
        + (f"{counted(done, 'intervention réalisée', 'interventions réalisées')} dans {counted(classes, 'classe')}" if done else "aucune intervention réalisée pour l'instant")
        + f" ; {counted(int(statuses.get(PLANNED, 0)), 'planifiée')}, {counted(int(statuses.get(REFUSED, 0)), 'refusée')}."
    ]
    if days:
        paragraphs.append(f"{counted(int(days_held), 'journée tenue', 'journées tenues')} sur {counted(int(days), 'journée programmée', 'journées programmées')}.")
    given = [row for row in themes if row[3]]
    if given:
        paragraphs.append("Thèmes abordés : " + ", ".join(f"{name} ({number(row_done)})" for name, _c, _p, row_done, _cl in given) + ".")
    tables = (
        ReportTable(
            columns=("Thème", "Demandes", "Planifiées", "Réalisées", "Classes"),
            rows=tuple(themes),
            title="Interventions par thème",
            total=("Total", requests, sum(row[2] for row in themes), done, classes),
        ),
        ReportTable(
            columns=("Statut", "Demandes"),
            rows=tuple((label, int(statuses.get(code, 0))) for code, label in STATUSES.items()),
            title="Demandes d'intervention par statut",
            total=("Total", requests),
        ),
    )
    charts = (ReportChart(title="Interventions réalisées par thème", labels=tuple(row[0] for row in given), values=tuple(float(row[3]) for row in given)),) if given else ()
    return [
        ReportSection(
            title="Interventions en classe",
            order=ORDER,
            figures=(
                ("Demandes reçues", number(requests)),
                ("Interventions réalisées", number(done)),
                ("Classes", number(classes)),
                ("Journées tenues", number(int(days_held))),
            ),
            paragraphs=tuple(paragraphs),
            tables=tables,
            charts=charts,
        )
    ]
