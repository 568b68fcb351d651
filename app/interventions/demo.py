"""Demonstration requests: past years' interventions done (with booklets), this year's requests waiting."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.directory.models import Classroom, Cooperative
from app.extensions import db
from app.interventions.models import DONE, REQUESTED, InterventionRequest, InterventionTheme
from app.interventions.service import ensure_default_themes
from app.years.service import current_year

BOOKLET = "Supports utilisés avec les élèves, fiches théoriques et pistes pédagogiques pour poursuivre en autonomie."


def load_interventions_demo(year) -> None:
    ensure_default_themes()
    for theme in db.session.execute(select(InterventionTheme).filter(InterventionTheme.booklet.is_(None))).scalars():
        theme.booklet = f"{theme.name} : {BOOKLET}"
    if db.session.execute(select(func.count(InterventionRequest.id)).filter_by(school_year_id=year.id)).scalar_one():
        return
    rng = random.Random(f"interventions-{year.label}")
    themes = list(db.session.execute(select(InterventionTheme).order_by(InterventionTheme.id)).scalars())
    pairs = db.session.execute(
        select(Classroom, Cooperative)
        .join(Cooperative, Cooperative.school_id == Classroom.school_id)
        .filter(Classroom.school_year_id == year.id)
        .order_by(Classroom.id)
    ).all()
    if not pairs:
        return
    current = current_year()
    is_current = current is not None and current.id == year.id
    chosen = rng.sample(pairs, min(len(pairs), 70 if is_current else 45))
    start = datetime(year.start_date.year, 9, 3, 9, 0)
    for index, (classroom, cooperative) in enumerate(chosen):
        theme = rng.choice(themes)
        requested_at = start + timedelta(hours=7 * index + rng.randint(0, 6))
        db.session.add(
            InterventionRequest(
                school_year_id=year.id,
                cooperative_id=cooperative.id,
                classroom_id=classroom.id,
                teacher_id=classroom.teacher_id,
                theme_id=theme.id,
                requested_at=requested_at,
                whole_team=rng.random() < 0.1,
                motivation="Projet de classe coopérative." if rng.random() < 0.5 else None,
                status=REQUESTED if is_current else DONE,
                done_on=None if is_current else (requested_at + timedelta(days=rng.randint(20, 150))).date(),
                booklet_given=not is_current,
                booklet_notes=None if is_current else f"{theme.name} : {BOOKLET}",
            )
        )
