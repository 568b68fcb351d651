"""Bals en liance 02 in the year's activity report: the core's partner-led section, with the ball's dancers."""

from __future__ import annotations

from app.partners.led import action_report_section

from .services import action_of, ball_classes, closing_event


def section(year):
    event = closing_event(year)
    rows = ball_classes(event.registrations) if event is not None else []
    dances = [(registration.school_name, registration.classroom.name if registration.classroom else "", sheet.dances if sheet else "(à préciser)") for registration, sheet in rows]
    return action_report_section(
        year, action_of(year), title="Bals en liance 02 (danse)", order=160, event_word="bal",
        sheet_columns=("École", "Classe", "Danses au bal"), sheet_rows=dances,
    )  # fmt: skip
