"""Ranking, overriding and planning the animator's interventions, and recording what was done.

The ranking reads what the selection rules need in four grouped queries
(requests, cooperatives already helped, teachers already helped per theme,
classes per school), then ranks in memory with :mod:`selection`: 5,000
requests stay well under the 200 ms budget.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.actions.models import utcnow
from app.directory.models import Classroom, Cooperative, Sector
from app.extensions import db
from app.interventions.models import CANCELLED, DONE, PLANNED, REFUSED, REQUESTED, InterventionDay, InterventionRequest, InterventionTheme
from app.interventions.selection import Candidate, History, Ranked, Weights, rank

DEFAULT_CLASSES_PER_DAY = 4


def classes_per_day() -> int:
    return int(current_app.config.get("OCCE_INTERVENTION_CLASSES_PER_DAY", DEFAULT_CLASSES_PER_DAY))


def weights() -> Weights:
    return Weights(**current_app.config.get("OCCE_SELECTION_WEIGHTS", {}))


def load_candidates(year) -> tuple[list[Candidate], History]:
    # plain rows through the session's connection: the ORM's result processing would double the time
    connection = db.session.connection()
    rows = connection.execute(
        select(
            InterventionRequest.id,
            InterventionRequest.cooperative_id,
            Cooperative.school_id,
            InterventionRequest.classroom_id,
            Sector.name,
            InterventionRequest.teacher_id,
            InterventionRequest.theme_id,
            InterventionTheme.name,
            InterventionRequest.requested_at,
            InterventionRequest.whole_team,
            InterventionRequest.override_points,
            InterventionRequest.override_reason,
        )
        .join(Cooperative, InterventionRequest.cooperative_id == Cooperative.id)
        .outerjoin(Sector, Cooperative.sector_id == Sector.id)
        .join(InterventionTheme, InterventionRequest.theme_id == InterventionTheme.id)
        .filter(InterventionRequest.school_year_id == year.id, InterventionRequest.status == REQUESTED)
    ).all()
    candidates = [
        Candidate(
            id=row[0], cooperative_id=row[1], school_id=row[2], classroom_id=row[3], sector=row[4], teacher_id=row[5], theme_id=row[6],
            theme_label=row[7], requested_at=row[8], whole_team=bool(row[9]), override_points=row[10] or 0, override_reason=row[11] or "",
        )  # fmt: skip
        for row in rows
    ]
    done = InterventionRequest.status == DONE
    helped = frozenset(connection.execute(select(InterventionRequest.cooperative_id).filter(done).distinct()).scalars())
    teacher_themes = frozenset(
        (teacher, theme)
        for teacher, theme in connection.execute(
            select(InterventionRequest.teacher_id, InterventionRequest.theme_id).filter(done, InterventionRequest.teacher_id.is_not(None)).distinct()
        )
    )
    # only the schools that asked: counting every school's classes would cost more than the ranking itself
    asking = (
        select(Cooperative.school_id)
        .join(InterventionRequest, InterventionRequest.cooperative_id == Cooperative.id)
        .filter(InterventionRequest.school_year_id == year.id, InterventionRequest.status == REQUESTED)
    )
    classes = dict(
        connection.execute(
            select(Classroom.school_id, func.count(Classroom.id))
            .filter(Classroom.school_year_id == year.id, Classroom.school_id.in_(asking))
            .group_by(Classroom.school_id)
        ).all()
    )
    return candidates, History(helped_cooperatives=helped, helped_teacher_themes=teacher_themes, classes_per_school=classes)


def ranking(year) -> list[Ranked]:
    candidates, history = load_candidates(year)
    return rank(candidates, history, weights())


def override(request: InterventionRequest, points: int, reason: str, user_id: int | None) -> None:
    """Record a manual override of the ranking: who, when, why. A reason is required."""
    reason = (reason or "").strip()
    if points and not reason:
        raise ValueError(_("Indiquez pourquoi vous modifiez le classement."))
    if not -1000 <= points <= 1000:
        raise ValueError(_("Le bonus doit être compris entre -1000 et 1000 points."))
    request.override_points = points
    request.override_reason = reason or None
    request.override_by_id = user_id
    request.override_at = utcnow()
    db.session.commit()


def plan_day(year, day: date, sector_id: int | None, animator_id: int, request_ids: list[int], notes: str | None = None) -> tuple[InterventionDay, list[str]]:
    """Create one day of interventions; return it with French warnings (classes of another sector).

    Raises ValueError (French) when nothing is chosen, too many classes are
    chosen, a request is not waiting, a request is excluded by the rules, or
    the animator already has a day on that date.
    """
    if not request_ids:
        raise ValueError(_("Cochez au moins une demande à planifier."))
    if len(request_ids) > classes_per_day():
        raise ValueError(_("Une journée compte %(limit)s classes au plus : %(count)s sont cochées.", limit=classes_per_day(), count=len(request_ids)))
    if not year.start_date <= day <= year.end_date:
        raise ValueError(_("Le %(day)s n'est pas dans l'année scolaire %(year)s.", day=f"{day:%d/%m/%Y}", year=year.label))
    taken = db.session.execute(select(InterventionDay.id).filter_by(animator_id=animator_id, day=day)).first()
    if taken:
        raise ValueError(_("Cette animatrice ou cet animateur a déjà une journée le %(day)s.", day=f"{day:%d/%m/%Y}"))
    excluded = {r.candidate.id: r.exclusion for r in ranking(year) if r.excluded}
    requests = list(db.session.execute(select(InterventionRequest).filter(InterventionRequest.id.in_(request_ids))).scalars())
    problems = []
    for request in requests:
        if request.school_year_id != year.id or request.status != REQUESTED:
            problems.append(_("« %(what)s » n'est plus en attente (%(status)s).", what=str(request), status=request.status_label))
        elif request.id in excluded:
            problems.append(f"« {request} » : {excluded[request.id]}")
    if problems:
        raise ValueError(" ".join(problems))
    planned = InterventionDay(school_year_id=year.id, day=day, sector_id=sector_id, animator_id=animator_id, notes=notes)
    db.session.add(planned)
    warnings = []
    for request in requests:
        request.day = planned
        request.status = PLANNED
        if sector_id and request.cooperative.sector_id != sector_id:
            warnings.append(_("« %(what)s » n'est pas du secteur de la journée.", what=str(request)))
    db.session.commit()
    return planned, warnings


def record_done(request: InterventionRequest, done_on: date, booklet_given: bool, booklet_notes: str | None = None) -> None:
    """After the intervention: the date and the booklet handed over to the teacher."""
    if request.status in (REFUSED, CANCELLED):
        raise ValueError(_("Une demande %(status)s ne peut pas être marquée réalisée.", status=request.status_label.lower()))
    request.status = DONE
    request.done_on = done_on
    request.booklet_given = booklet_given
    request.booklet_notes = booklet_notes or (request.theme.booklet if request.theme else None)
    db.session.commit()


def ensure_default_themes() -> int:
    """Create the activity plan's themes that are missing; return how many were added."""
    existing = set(db.session.execute(select(InterventionTheme.name)).scalars())
    from app.interventions.models import DEFAULT_THEMES

    missing = [name for name in DEFAULT_THEMES if name not in existing]
    db.session.add_all(InterventionTheme(name=name) for name in missing)
    db.session.flush()
    return len(missing)
