"""THEA 02 in the year's activity report: the core's partner-led section, with the classes' plays."""

from __future__ import annotations

from app.partners.led import action_report_section, with_sheets

from .models import TheaClassProject
from .services import action_of, closing_event


def section(year):
    event = closing_event(year)
    rows = with_sheets(TheaClassProject, event.registrations) if event is not None else []
    plays = [(registration.school_name, registration.classroom.name if registration.classroom else "", project.title if project else "(à préciser)") for registration, project in rows]
    return action_report_section(
        year, action_of(year), title="THEA 02 (théâtre)", order=150, event_word="rencontre théâtrale",
        sheet_columns=("École", "Classe", "Spectacle à la rencontre"), sheet_rows=plays,
    )  # fmt: skip
