"""The Musée de Chevregny days in the year's activity report: applications, days, entries, transport aid."""

from __future__ import annotations

from app.money import money
from app.plugins import ReportSection, ReportTable
from app.report.helpers import french_value, plural

from .services import days_of, entries_of, figures


def section(year) -> ReportSection:
    """Figures of the plugin's page and dashboard card (:func:`figures`), one row per day."""
    found = figures(year)
    days = []
    for day in days_of(year):
        count, amount = entries_of(day)
        days.append((day.label, day.day.strftime("%d/%m/%Y") if day.day else "", count, money(amount)))
    aid = found["aid"]
    return ReportSection(
        title="Journées coopératives au Musée de Chevregny",
        order=170,
        figures=(("classes accueillies", french_value(found["retained"])), ("candidatures", french_value(found["applications"])), ("entrées au musée", french_value(found["entries"]))),
        paragraphs=(
            f"{plural(len(days), 'journée coopérative', 'journées coopératives')} au Musée de l'École publique de Chevregny : "
            f"{plural(found['retained'], 'classe accueillie', 'classes accueillies')} sur {plural(found['applications'], 'candidature')}, "
            f"{plural(found['entries'], 'entrée')} prises en charge ({money(found['entries_amount'])}). "
            f"Aide au transport : {plural(aid['count'], 'demande')}, {money(aid['granted'])} accordés, {money(aid['paid'])} versés.",
        ),
        tables=(ReportTable(columns=("Journée", "Date", "Entrées", "Montant des entrées"), rows=tuple(days)),),
    )
