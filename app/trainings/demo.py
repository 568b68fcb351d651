"""Demonstration sessions: « L'argent à l'école » in Chauny, Laon and Soissons (Soissons under its minimum),
the monthly video sessions for mandataires, the INSPE forum, the Cité éducative of Saint-Quentin.

Deterministic (a seeded generator per year) and idempotent: a year that already
has core sessions gets nothing more. Sessions before today are held, with their
attendance; in the current year, the Soissons session is under its minimum past
its decision date, so the console proposes cancelling it (as happened this year);
in past years it was cancelled.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.directory.models import Cooperative, Person
from app.extensions import db
from app.trainings.models import CANCELLED, HELD, PLANNED, REGISTERED, Training, TrainingRegistration, TrainingSession


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _people():
    """Mandataires with an address, and their cooperative (the directory's demo)."""
    query = (
        select(Person, Cooperative)
        .join(Cooperative, Cooperative.mandataire_id == Person.id)
        .filter(Person.email.isnot(None), Cooperative.status == "active")
        .order_by(Cooperative.id)
        .limit(400)
    )
    return list(db.session.execute(query).all())


def load_trainings_demo(year, today: date | None = None) -> None:
    today = today or date.today()
    exists = db.session.execute(
        select(func.count(TrainingSession.id)).filter(TrainingSession.school_year_id == year.id, TrainingSession.plugin_code.is_(None))
    ).scalar_one()
    if exists:
        return
    catalogue = {training.title: training for training in db.session.execute(select(Training)).scalars()}
    rng = random.Random(f"trainings-{year.label}")
    people = _people()
    start = year.start_date

    def session(title, day, hour, place, *, capacity, minimum=0, decision_days=7, registrants=0, place_detail=None, force_status=None, reason=None):
        training = catalogue.get(title)
        if training is None or not (year.start_date <= day <= year.end_date):
            return None
        starts_at = datetime.combine(day, time(hour[0], hour[1]))
        held = day < today
        status = force_status or (HELD if held else PLANNED)
        row = TrainingSession(
            training_id=training.id, school_year_id=year.id, place=place, place_detail=place_detail, starts_at=starts_at,
            hours=training.default_hours or Decimal("3"), capacity=capacity, minimum=minimum,
            decision_on=day - timedelta(days=decision_days) if minimum else None, status=status,
            cancelled_reason=reason if status == CANCELLED else None,
            cancelled_at=starts_at - timedelta(days=decision_days) if status == CANCELLED else None,
        )
        db.session.add(row)
        db.session.flush()
        for person, cooperative in rng.sample(people, min(registrants, len(people))):
            db.session.add(TrainingRegistration(
                session_id=row.id, person_id=person.id, cooperative_id=cooperative.id, first_name=person.first_name, last_name=person.last_name,
                email=person.email.strip().lower(), registered_at=starts_at - timedelta(days=rng.randint(8, 25)), status=REGISTERED,
                attended=(rng.random() < 0.85) if status == HELD else None,
            ))
        return row

    money = "L'argent à l'école (nouveaux mandataires)"
    session(money, _weekday_on_or_after(start + timedelta(days=20), 2), (14, 0), "chauny", capacity=20, minimum=6, registrants=9,
            place_detail="Salle Guy Mollet")
    session(money, _weekday_on_or_after(start + timedelta(days=27), 2), (14, 0), "laon", capacity=25, minimum=6, registrants=12,
            place_detail="Siège de l'OCCE 02")
    soissons = _weekday_on_or_after(start + timedelta(days=34), 2)
    if soissons < today <= year.end_date - timedelta(days=30):
        # this year: still to decide, the decision date is past
        day = _weekday_on_or_after(today + timedelta(days=8), 2)
        session(money, day, (14, 0), "soissons", capacity=20, minimum=6, decision_days=(day - today).days + 3, registrants=2)
    else:
        session(money, soissons, (14, 0), "soissons", capacity=20, minimum=6, registrants=2, force_status=CANCELLED if soissons < today else None,
                reason="faute d'un nombre suffisant d'inscrits (2 pour un minimum de 6)")
    session("L'argent à l'école (néo-directeurs)", _weekday_on_or_after(start + timedelta(days=45), 2), (9, 0), "laon", capacity=20, minimum=5,
            registrants=7)
    session("Forum INSPE", _weekday_on_or_after(start + timedelta(days=60), 2), (8, 30), "inspe", capacity=80, registrants=0,
            place_detail="INSPE de l'académie d'Amiens, site de Laon")
    for number in range(2):
        session("Écoute active et messages clairs au service du climat scolaire", _weekday_on_or_after(start + timedelta(days=75 + 14 * number), 2),
                (9, 0), "saint_quentin", capacity=15, registrants=0, place_detail="Cité éducative de Saint-Quentin")
    for month in range(9):  # October to June, the first Tuesday, 18:00
        first = date(start.year + (1 if month >= 3 else 0), (10 + month - 1) % 12 + 1, 1)
        session("Visio mensuelle des mandataires", _weekday_on_or_after(first, 1), (18, 0), "visio", capacity=30, registrants=rng.randint(4, 11))
    db.session.flush()
