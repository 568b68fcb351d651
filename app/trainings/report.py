"""Trainings in the year's activity report (order 60): sessions held with hours and attendance,
sessions cancelled (for lack of registrants, named as the activity plan does)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select

from app.directory.report import counted, hours_text, number
from app.extensions import db
from app.plugins.info import ReportChart, ReportSection, ReportTable
from app.trainings.models import CANCELLED, HELD, OTHER_PLACE, PLACES, REGISTERED, Training, TrainingRegistration, TrainingSession

ORDER = 60
LACK_OF_REGISTRANTS = "annulée faute d'inscrits"


def place_label(place: str | None, detail: str | None) -> str:
    """As the session list writes it (« Soissons », the detail for « Autre »)."""
    if place == OTHER_PLACE:
        return detail or PLACES[OTHER_PLACE]
    return PLACES.get(place or "", place or "")


def _attendance(year):
    """Per session of the year: live registrations and those marked present; one grouped subquery."""
    return (
        select(
            TrainingRegistration.session_id.label("session_id"),
            func.count(TrainingRegistration.id).label("registered"),
            func.sum(case((TrainingRegistration.attended.is_(True), 1), else_=0)).label("present"),
        )
        .filter(
            TrainingRegistration.status == REGISTERED,
            TrainingRegistration.session_id.in_(select(TrainingSession.id).filter(TrainingSession.school_year_id == year.id)),
        )
        .group_by(TrainingRegistration.session_id)
        .subquery()
    )


def held_by_training(year) -> list[tuple[str, int, Decimal, int, int, Decimal]]:
    """``(training, sessions held, hours, present, registered, hours × present)``; one grouped query."""
    attendance = _attendance(year)
    present = func.coalesce(attendance.c.present, 0)
    rows = db.session.execute(
        select(
            Training.title,
            func.count(TrainingSession.id),
            func.coalesce(func.sum(TrainingSession.hours), 0),
            func.coalesce(func.sum(present), 0),
            func.coalesce(func.sum(func.coalesce(attendance.c.registered, 0)), 0),
            func.coalesce(func.sum(TrainingSession.hours * present), 0),
        )
        .join(Training, Training.id == TrainingSession.training_id)
        .outerjoin(attendance, attendance.c.session_id == TrainingSession.id)
        .filter(TrainingSession.school_year_id == year.id, TrainingSession.status == HELD)
        .group_by(Training.id, Training.title)
        .order_by(Training.title)
    ).all()
    return [(title, int(sessions), Decimal(hours), int(present), int(registered), Decimal(trainee_hours)) for title, sessions, hours, present, registered, trainee_hours in rows]


def cancelled_sessions(year) -> list[tuple[str, str, object, int, int, str]]:
    """``(training, place, date, registered, minimum, why)`` of the cancelled sessions, by date; one query."""
    attendance = _attendance(year)
    registered = func.coalesce(attendance.c.registered, 0)
    rows = db.session.execute(
        select(Training.title, TrainingSession.place, TrainingSession.place_detail, TrainingSession.starts_at, registered, TrainingSession.minimum, TrainingSession.cancelled_reason)
        .join(Training, Training.id == TrainingSession.training_id)
        .outerjoin(attendance, attendance.c.session_id == TrainingSession.id)
        .filter(TrainingSession.school_year_id == year.id, TrainingSession.status == CANCELLED)
        .order_by(TrainingSession.starts_at)
    ).all()
    result = []
    for title, place, detail, starts_at, count, minimum, reason in rows:
        count = int(count or 0)
        why = LACK_OF_REGISTRANTS if minimum and count < minimum else f"annulée : {(reason or '').strip() or 'sans motif noté'}"
        result.append((title, place_label(place, detail), starts_at.date(), count, int(minimum or 0), why))
    return result


def report_sections(year) -> list[ReportSection]:
    """« Formations » for ``year``.

    The figures match « Formations › Sessions de l'année » for ``year`` as the viewed year:
    held = status « Tenue », cancelled = status « Annulée »; registered = the list's
    « Inscrits » column (live registrations), present = the attendance recorded on the
    session page (« Présent·e »). A cancelled session whose registrants stayed under its
    minimum is written « annulée faute d'inscrits ».
    """
    held = held_by_training(year)
    cancelled = cancelled_sessions(year)
    planned = db.session.execute(
        select(func.count(TrainingSession.id)).filter(TrainingSession.school_year_id == year.id, TrainingSession.status.notin_((HELD, CANCELLED)))
    ).scalar_one()
    sessions = sum(row[1] for row in held)
    hours = sum((row[2] for row in held), Decimal(0))
    present = sum(row[3] for row in held)
    registered = sum(row[4] for row in held)
    trainee_hours = sum((row[5] for row in held), Decimal(0))
    paragraphs = []
    if sessions:
        paragraphs.append(
            f"{counted(sessions, 'session tenue', 'sessions tenues')}, {number(present)} présent{'s' if present > 1 else ''} sur "
            f"{counted(registered, 'inscrit')}, {hours_text(hours)} de formation, soit {number(trainee_hours)} heures-stagiaires (heures × présents)."
        )
    else:
        paragraphs.append("Aucune session de formation tenue cette année.")
    for title, place, day, count, minimum, why in cancelled:
        paragraphs.append(f"{title} — {place}, le {day:%d/%m/%Y} : {why} ({counted(count, 'inscrit')}{f' pour {minimum} au minimum' if minimum else ''}).")
    if planned:
        paragraphs.append(f"{counted(planned, 'session prévue', 'sessions prévues')} à venir.")
    tables = []
    if held:
        tables.append(
            ReportTable(
                columns=("Formation", "Sessions tenues", "Heures", "Présents", "Inscrits", "Heures × présents"),
                rows=tuple(held),
                title="Sessions tenues",
                total=("Total", sessions, hours, present, registered, trainee_hours),
            )
        )
    if cancelled:
        tables.append(
            ReportTable(
                columns=("Formation", "Lieu", "Date", "Inscrits", "Minimum", "Annulation"),
                rows=tuple(cancelled),
                title="Sessions annulées",
            )
        )
    charts = ()
    if held:
        charts = (ReportChart(title="Heures de formation par formation", labels=tuple(row[0] for row in held), values=tuple(float(row[2]) for row in held), unit="h"),)
    return [
        ReportSection(
            title="Formations",
            order=ORDER,
            figures=(
                ("Sessions tenues", number(sessions)),
                ("Heures de formation", hours_text(hours)),
                ("Présents / inscrits", f"{number(present)} / {number(registered)}"),
                ("Sessions annulées", number(len(cancelled))),
            ),
            paragraphs=tuple(paragraphs),
            tables=tuple(tables),
            charts=charts,
        )
    ]
