"""The teachers' online answers in the year's activity report: links sent, links opened, requests made online."""

from __future__ import annotations

from app.plugins import ReportSection
from app.report.helpers import french_value, plural
from app.teachers.figures import link_counts


def report_sections(year) -> list[ReportSection]:
    """The figures of « Liens des enseignants » and of its dashboard card."""
    counts = link_counts(year)
    if not counts["total"]:
        return [ReportSection(title="Réponses des enseignants en ligne", order=22, paragraphs=("Aucun lien personnel envoyé aux écoles cette année.",))]
    return [
        ReportSection(
            title="Réponses des enseignants en ligne",
            order=22,
            figures=(("liens envoyés aux écoles", french_value(counts["total"])), ("écoles ayant répondu en ligne", french_value(counts["used"]))),
            paragraphs=(f"Les propositions de fin août portaient un lien personnel par école : {plural(counts['total'], 'lien envoyé', 'liens envoyés')}, "
                        f"{plural(counts['used'], 'école', 'écoles')} l'ont ouvert ; {plural(counts['online_requested'], 'demande faite', 'demandes faites')} en ligne "
                        "attendent encore la décision de l'équipe.",),
        )
    ]
