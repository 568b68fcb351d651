"""The relayed federal actions in the year's activity report: cooperatives taking part and mails relayed, per action."""

from __future__ import annotations

from sqlalchemy import func, select

from app.actions.models import ACTIVE_STATUSES, Action, Registration
from app.extensions import db
from app.plugins import ReportSection, ReportTable
from app.report.helpers import french_value, plural

from .models import RelaisRelayedMail
from .services import CODE


def section(year) -> ReportSection:
    """Per action: live registrations (as « Actions relayées » counts its participants) and the mails relayed."""
    taking_part = dict(
        db.session.execute(
            select(Action.name, func.count(Registration.id))
            .select_from(Action)
            .outerjoin(Registration, (Registration.action_id == Action.id) & Registration.status.in_(ACTIVE_STATUSES))
            .filter(Action.plugin_code == CODE, Action.school_year_id == year.id)
            .group_by(Action.id, Action.name)
        ).all()
    )
    mails = dict(
        db.session.execute(
            select(Action.name, func.count(RelaisRelayedMail.id)).join(Action, RelaisRelayedMail.action_id == Action.id).filter(RelaisRelayedMail.school_year_id == year.id).group_by(Action.id, Action.name)
        ).all()
    )
    rows = tuple((name, count, mails.get(name, 0)) for name, count in sorted(taking_part.items()))
    return ReportSection(
        title="Actions fédérales relayées",
        order=140,
        figures=(("actions relayées", french_value(len(rows))), ("participations", french_value(sum(row[1] for row in rows)))),
        paragraphs=(f"{plural(len(rows), 'proposition fédérale relayée', 'propositions fédérales relayées')} par courriel aux coopératives ("
                    + (", ".join(name for name, *_ in rows) or "aucune") + ").",),
        tables=(ReportTable(columns=("Action", "Coopératives participantes", "Courriels relayés"), rows=rows, total=("Total", sum(r[1] for r in rows), sum(r[2] for r in rows))),),
    )
