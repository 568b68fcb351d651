"""The (in)formation of the teachers of partner-led actions: one training session for several actions.

THEA 02 and Bals en liance 02 share one 2-hour session for their registered
teachers (activity plan 2025-2026). The staff page « Formation des
enseignants » calls it; a plugin may too::

    from app.partners.teachers_training import organise_teachers_training, teachers_of

    session, invited = organise_teachers_training([thea, bals], starts_at=datetime(2026, 1, 14, 14), place="laon")

It creates ONE :class:`app.trainings.models.TrainingSession` (through
:func:`app.trainings.service.create_session`, ``plugin_code`` None) or reuses
the one of the same training, year and start; registers every teacher of the
actions' live registrations (requested, retained, on the waiting list or
done; never refused or cancelled) with :func:`app.trainings.service.register`,
one registration per address; and queues one invitation mail to each newly
registered teacher (:func:`app.trainings.service.invite`). Running it again
registers and invites only the teachers who were not yet on the session (a
teacher who cancelled their registration is not registered again).
Refusals raise :class:`app.trainings.service.TrainingRefused` in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.actions.models import ACTIVE_STATUSES, Action, Registration
from app.extensions import db
from app.mail.recipients import valid_address
from app.trainings import service as trainings
from app.trainings.mails import registrant_recipients
from app.trainings.models import CANCELLED as SESSION_CANCELLED
from app.trainings.models import TrainingRegistration, TrainingSession

DEFAULT_TITLE = "(In)formation THEA et Bals en liance"
#: Registrations whose teacher is invited: every live one (not refused, not cancelled).
INVITED_STATUSES = ACTIVE_STATUSES
DEFAULT_CAPACITY = 30


@dataclass
class Teacher:
    first_name: str
    last_name: str
    email: str
    person: object
    cooperative: object
    classes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class TeacherList:
    teachers: list[Teacher] = field(default_factory=list)
    #: French lines naming the classes left out (no teacher, no valid address)
    missing: list[str] = field(default_factory=list)


def teachers_of(actions: Iterable[Action]) -> TeacherList:
    """The teachers of the actions' live registrations, once per address (lower case), in school order."""
    action_ids = [action.id for action in actions]
    result = TeacherList()
    if not action_ids:
        return result
    query = (
        select(Registration)
        .where(Registration.action_id.in_(action_ids), Registration.status.in_(list(INVITED_STATUSES)))
        .order_by(Registration.cooperative_id, Registration.classroom_id, Registration.id)
    )
    by_email: dict[str, Teacher] = {}
    for registration in db.session.execute(query).unique().scalars():
        classroom = registration.classroom
        label = f"{classroom.name} ({registration.school_name})" if classroom is not None else str(registration.cooperative)
        teacher = classroom.teacher if classroom is not None else None
        email = (registration.teacher_email or "").strip().lower()
        if teacher is None:
            result.missing.append(_("%(label)s : aucun·e enseignant·e n'est enregistré·e pour cette classe.", label=label))
            continue
        if not valid_address(email) or not (teacher.first_name or "").strip() or not (teacher.last_name or "").strip():
            result.missing.append(_("%(label)s : %(name)s n'a pas d'adresse de courriel valide.", label=label, name=registration.teacher_name))
            continue
        if email in by_email:
            if label not in by_email[email].classes:
                by_email[email].classes.append(label)
            continue
        by_email[email] = Teacher(teacher.first_name.strip(), teacher.last_name.strip(), email, teacher, registration.cooperative, [label])
        result.teachers.append(by_email[email])
    return result


def find_session(training, year, starts_at: datetime) -> TrainingSession | None:
    """The session of ``training`` in ``year`` starting at ``starts_at`` (not cancelled), if any."""
    query = select(TrainingSession).where(
        TrainingSession.training_id == training.id,
        TrainingSession.school_year_id == year.id,
        TrainingSession.starts_at == starts_at,
        TrainingSession.status != SESSION_CANCELLED,
    )
    return db.session.execute(query.order_by(TrainingSession.id)).scalars().first()


def known_addresses(session: TrainingSession | None) -> set[str]:
    """The addresses already on ``session`` (registered or having cancelled)."""
    if session is None or session.id is None:
        return set()
    rows = db.session.execute(select(TrainingRegistration.email).where(TrainingRegistration.session_id == session.id)).scalars()
    return {email.strip().lower() for email in rows}


def training_for(title: str):
    training = trainings.training_by_title(title)
    if training is None:
        raise trainings.TrainingRefused(_("La formation « %(title)s » n'est pas au catalogue des formations.", title=title))
    return training


def organise_teachers_training(
    actions: Iterable[Action],
    *,
    starts_at: datetime,
    place: str,
    hours=None,
    capacity: int | None = None,
    training_title: str = DEFAULT_TITLE,
    user_id: int | None = None,
    commit: bool = True,
    place_detail: str | None = None,
    message: str | None = None,
) -> tuple[TrainingSession, int]:
    """One session for the actions' teachers, each registered and invited once; returns it and how many were invited now."""
    actions = list(actions)
    if not actions:
        raise trainings.TrainingRefused(_("Choisissez au moins une action."))
    years = {action.school_year_id for action in actions}
    if len(years) > 1:
        raise trainings.TrainingRefused(_("Les actions choisies ne sont pas de la même année scolaire."))
    year = actions[0].school_year
    training = training_for(training_title)
    found = teachers_of(actions)
    session = find_session(training, year, starts_at)
    if session is None:
        size = capacity if capacity is not None else max(DEFAULT_CAPACITY, len(found.teachers))
        session = trainings.create_session(
            training, year, starts_at, place, hours, capacity=size, plugin_code=None, place_detail=place_detail, commit=False,
        )  # fmt: skip
    known = known_addresses(session)
    new = [teacher for teacher in found.teachers if teacher.email not in known]
    if not new:
        if commit:
            db.session.commit()
        return session, 0
    needed = trainings.registered_count(session) + len(new)
    if needed > session.capacity:
        if capacity is not None:
            raise trainings.TrainingRefused(
                _("%(count)s enseignant·es à inscrire pour %(capacity)s places : augmentez la capacité de la session.", count=needed, capacity=session.capacity)
            )
        session.capacity = needed
    registered = [
        trainings.register(session, first_name=t.first_name, last_name=t.last_name, email=t.email, person=t.person, cooperative=t.cooperative, commit=False)
        for t in new
    ]
    trainings.invite(session, registrant_recipients(registered), message=message, user_id=user_id)
    if commit:
        db.session.commit()
    return session, len(registered)
