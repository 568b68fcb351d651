"""The partners in the year's activity report: hours given per partner organisation and per action, the closing events."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.partners.models import PartnerEvent
from app.partners.service import hours_by_partner, hours_text, hours_totals
from app.plugins import ReportChart, ReportSection, ReportTable
from app.report.helpers import plural


def report_sections(year) -> list[ReportSection]:
    """The figures of « Heures par partenaire » (what the association pays under its agreements) and of « Rencontres et bals »."""
    by_partner, by_action, overall = hours_totals(hours_by_partner(year))
    events = db.session.execute(select(PartnerEvent).filter_by(school_year_id=year.id).order_by(PartnerEvent.held_on, PartnerEvent.id)).scalars().all()
    if not by_partner and not events:
        return [ReportSection(title="Partenaires des actions", order=90, paragraphs=("Aucune séance de partenaire ni rencontre enregistrée cette année.",))]
    rows = tuple((total.label, total.sessions, total.held_hours, total.planned_hours) for total in by_partner)
    return [
        ReportSection(
            title="Partenaires des actions",
            order=90,
            figures=(("heures tenues par les artistes", hours_text(overall.held_hours) or "0 h"), ("partenaires", str(len(by_partner))), ("rencontres et bals", str(len(events)))),
            paragraphs=(f"{plural(len(by_partner), 'organisation partenaire', 'organisations partenaires')} sur {plural(len(by_action), 'action')} : "
                        f"{hours_text(overall.held_hours) or '0 h'} tenues, {hours_text(overall.planned_hours) or '0 h'} encore prévues.",),
            tables=(
                ReportTable(columns=("Partenaire", "Séances", "Heures tenues", "Heures prévues"), rows=rows, title="Heures par partenaire",
                            total=("Total", overall.sessions, overall.held_hours, overall.planned_hours)),
                ReportTable(columns=("Rencontre", "Date", "Lieu", "Classes"), title="Rencontres et bals",
                            rows=tuple((event.title, event.held_on, event.venue or "", len(event.registrations)) for event in events)),
            ),  # fmt: skip
            charts=(ReportChart(title="Heures tenues par partenaire", labels=tuple(total.label for total in by_partner), values=tuple(total.held_hours for total in by_partner), unit="h"),),
        )
    ]
