"""Étamine in the year's activity report: classes registered, book copies printed and bound, trunks lent."""

from __future__ import annotations

from app.plugins import ReportSection, ReportTable
from app.report.helpers import french_value, loans_by_kind, plural

from .models import DELIVERED, STATUSES
from .services import READING_KIND, TRUNK_KIND, copies_by_status, registration_count


def section(year) -> ReportSection:
    """Classes as the registrations list counts them; copies per status as the copy requests list sums them."""
    classes = registration_count(year)
    copies = copies_by_status(year)
    loans = loans_by_kind(year, (TRUNK_KIND, READING_KIND))
    return ReportSection(
        title="Étamine",
        order=130,
        figures=(("classes inscrites", french_value(classes)), ("exemplaires demandés", french_value(sum(copies.values()))), ("prêts de malles", french_value(sum(loans.values())))),
        paragraphs=(f"{plural(classes, 'classe inscrite', 'classes inscrites')} ; {plural(sum(copies.values()), 'exemplaire')} des livres créés par les classes demandés, "
                    f"dont {french_value(copies[DELIVERED])} livrés ; {plural(loans[TRUNK_KIND], 'prêt')} des malles Étamine et {plural(loans[READING_KIND], 'prêt')} de la malle « lecture ».",),
        tables=(ReportTable(columns=("Exemplaires", "Nombre"), rows=tuple((label.capitalize(), copies[status]) for status, label in STATUSES.items()), total=("Total", sum(copies.values()))),),
    )
