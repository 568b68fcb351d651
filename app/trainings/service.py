"""Training sessions, registrations, attendance, cancellation under the minimum, certificates.

The API the views use, and the one action plugins call (issue 10: THEA, Bals
en liance and La Picardie en Poésie create a session for their teachers and
invite them)::

    from app.trainings import service as trainings

    training = trainings.training_by_title("(In)formation THEA et Bals en liance")
    session = trainings.create_session(training, year, datetime(2026, 1, 14, 14, 0), "laon", 2,
                                       capacity=30, minimum=5, decision_on=date(2027, 1, 7), plugin_code="thea")
    trainings.invite(session, action_recipients(action), message="...")     # trainings:invitation
    trainings.register(session, first_name="Claire", last_name="Martin", email="claire.martin@ac-amiens.fr")

Every refusal raises :class:`TrainingRefused` with a French sentence. The
functions commit unless told otherwise (``commit=False``), except
:func:`invite`, which leaves the commit to the caller like ``mail.queue``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.actions.models import utcnow
from app.documents import render
from app.extensions import db
from app.mail import service as mail
from app.mail.recipients import RecipientList, valid_address
from app.trainings.mails import CANCELLATION, INVITATION, registrant_recipients
from app.trainings.models import (
    CANCELLED,
    HELD,
    OTHER_PLACE,
    PLACES,
    PLANNED,
    REGISTERED,
    REGISTRATION_CANCELLED,
    Training,
    TrainingRegistration,
    TrainingSession,
)

MODULE = "trainings"
DEFAULT_REASON = "le nombre minimum d'inscrits n'est pas atteint"


class TrainingRefused(ValueError):
    """A step the rules refuse, with a French reason."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def training_by_title(title: str) -> Training | None:
    return db.session.execute(select(Training).filter(Training.title == title)).scalar_one_or_none()


# --- sessions ----------------------------------------------------------------------------------


def session_problems(*, place: str | None, place_detail: str | None, starts_at: datetime | None, hours, capacity: int | None,
                     minimum: int | None, decision_on: date | None) -> list[str]:
    """What is wrong with a session's settings, in French (an empty list: fine). The forms use the same rules."""
    problems = []
    if place not in PLACES:
        problems.append(_("Choisissez le lieu parmi : %(places)s.", places=", ".join(PLACES.values())))
    elif place == OTHER_PLACE and not (place_detail or "").strip():
        problems.append(_("Lieu « Autre » : précisez lequel."))
    if starts_at is None:
        problems.append(_("Indiquez la date et l'heure de la session."))
    if hours is not None:
        try:
            value = Decimal(str(hours))
        except InvalidOperation:
            value = None
        if value is None or value <= 0 or value > 100:
            problems.append(_("La durée doit être un nombre d'heures entre 0 et 100 (par exemple 1,5)."))
    if capacity is None or capacity < 1:
        problems.append(_("La capacité doit être d'au moins 1 place."))
    if minimum is not None and minimum < 0:
        problems.append(_("Le minimum ne peut pas être négatif."))
    if minimum is not None and capacity is not None and minimum > capacity:
        problems.append(_("Le minimum (%(minimum)s) ne peut pas dépasser la capacité (%(capacity)s).", minimum=minimum, capacity=capacity))
    if decision_on is not None and starts_at is not None and decision_on > starts_at.date():
        problems.append(_("La date de décision (%(decision)s) doit précéder la session (%(day)s).", decision=_day(decision_on), day=_day(starts_at.date())))
    return problems


def create_session(
    training: Training,
    year,
    starts_at: datetime,
    place: str,
    hours=None,
    *,
    capacity: int,
    minimum: int = 0,
    decision_on: date | None = None,
    plugin_code: str | None = None,
    place_detail: str | None = None,
    animator_id: int | None = None,
    notes: str | None = None,
    commit: bool = True,
) -> TrainingSession:
    """A new « Prévue » session of ``training`` in ``year``; ``hours`` defaults to the training's duration."""
    hours = training.default_hours if hours is None else hours
    if hours is None:
        raise TrainingRefused(_("Indiquez la durée de la session (en heures)."))
    problems = session_problems(place=place, place_detail=place_detail, starts_at=starts_at, hours=hours, capacity=capacity, minimum=minimum, decision_on=decision_on)
    if problems:
        raise TrainingRefused(" ".join(problems))
    if not (year.start_date <= starts_at.date() <= year.end_date):
        raise TrainingRefused(_("Le %(day)s n'est pas dans l'année scolaire %(year)s.", day=_day(starts_at.date()), year=year.label))
    session = TrainingSession(
        training_id=training.id,
        school_year_id=year.id,
        starts_at=starts_at,
        place=place,
        place_detail=place_detail or None,
        hours=Decimal(str(hours)),
        capacity=capacity,
        minimum=minimum or 0,
        decision_on=decision_on,
        plugin_code=plugin_code,
        animator_id=animator_id,
        notes=notes,
        status=PLANNED,
    )
    db.session.add(session)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return session


def registered_count(session: TrainingSession) -> int:
    """The live registrations of ``session`` (always read from the database)."""
    return db.session.execute(
        select(func.count(TrainingRegistration.id)).filter(TrainingRegistration.session_id == session.id, TrainingRegistration.status == REGISTERED)
    ).scalar_one()


def registrations(session: TrainingSession, *, live_only: bool = True) -> list[TrainingRegistration]:
    query = select(TrainingRegistration).filter(TrainingRegistration.session_id == session.id)
    if live_only:
        query = query.filter(TrainingRegistration.status == REGISTERED)
    return list(db.session.execute(query.order_by(TrainingRegistration.last_name, TrainingRegistration.first_name, TrainingRegistration.id)).scalars())


def under_minimum(session: TrainingSession, today: date | None = None, *, count: int | None = None) -> bool:
    """A planned session, not yet held, with fewer live registrations than its minimum."""
    today = today or date.today()
    if session.status != PLANNED or not session.minimum or session.starts_at.date() < today:
        return False
    return (registered_count(session) if count is None else count) < session.minimum


def to_decide(session: TrainingSession, today: date | None = None, *, count: int | None = None) -> bool:
    """Under its minimum on or after its decision date: the console proposes cancelling it."""
    today = today or date.today()
    return session.decision_on is not None and today >= session.decision_on and under_minimum(session, today, count=count)


def session_fields(session: TrainingSession, reason: str | None = None) -> dict:
    """What the mails say about a session."""
    return {
        "id": session.id,
        "title": session.training.title,
        "description": session.training.description or "",
        "date": render.french_date(session.starts_at.date(), weekday=True),
        "time": f"{session.starts_at:%H} h {session.starts_at:%M}",
        "place": session.place_label,
        "duration": render.french_duration(session.hours),
        "capacity": session.capacity,
        "decision_on": _day(session.decision_on) if session.decision_on else "",
        "reason": (reason or "").strip(),
    }


def _planned(session: TrainingSession, what: str) -> None:
    if session.status != PLANNED:
        raise TrainingRefused(_("%(what)s : la session est « %(status)s ».", what=what, status=session.status_label))


def cancellation_recipients(session: TrainingSession) -> RecipientList:
    return registrant_recipients(registrations(session))


def cancellation_preview(session: TrainingSession, reason: str | None = None) -> mail.Preview:
    """The cancellation mail as each registrant would receive it; nothing is stored."""
    return mail.preview(f"{MODULE}:{CANCELLATION}", cancellation_recipients(session), {"session": session_fields(session, reason)}, year=session.school_year)


def cancel_session(session: TrainingSession, reason: str, user_id: int | None = None, *, commit: bool = True):
    """Cancel a planned session and queue the cancellation mail to each live registrant.

    Returns the mail batch, or None when nobody registered has a valid address.
    Registrations keep their status: the session's status says it all.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TrainingRefused(_("Indiquez le motif de l'annulation : il figure dans le courriel aux inscrits."))
    _planned(session, _("Annulation impossible"))
    recipients = cancellation_recipients(session)
    batch = None
    if recipients.recipients:
        label = _("Annulation : %(session)s", session=str(session))
        batch = mail.queue(f"{MODULE}:{CANCELLATION}", recipients, {"session": session_fields(session, reason)}, label=label, module=MODULE,
                           year=session.school_year, user_id=user_id, commit=False)
    session.status = CANCELLED
    session.cancelled_reason = reason
    session.cancelled_at = utcnow()
    session.cancelled_by_id = user_id
    session.version = (session.version or 0) + 1
    if commit:
        db.session.commit()
    return batch


def invite(session: TrainingSession, recipients: RecipientList, *, message: str | None = None, user_id: int | None = None):
    """Queue the invitation to ``session`` to ``recipients`` (a RecipientList, see app/mail/recipients.py). The caller commits."""
    _planned(session, _("Invitation impossible"))
    extras = {"session": session_fields(session), "message": message or ""}
    label = _("Invitation : %(session)s", session=str(session))
    return mail.queue(f"{MODULE}:{INVITATION}", recipients, extras, label=label, module=MODULE, year=session.school_year, user_id=user_id, commit=False)


# --- registrations -----------------------------------------------------------------------------


def register(session: TrainingSession, *, first_name: str, last_name: str, email: str, person=None, cooperative=None, commit: bool = True) -> TrainingRegistration:
    """Register a person to ``session``; refused (French) when closed, full, or already registered.

    An address registered then cancelled is registered again on the same row
    (one row per session and address).
    """
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    email = (email or "").strip().lower()
    if not first_name or not last_name:
        raise TrainingRefused(_("Indiquez le prénom et le nom de la personne."))
    if not valid_address(email):
        raise TrainingRefused(_("Adresse de courriel invalide « %(email)s ».", email=email))
    _planned(session, _("Inscription impossible"))
    # a row lock on PostgreSQL: two staff registering the last place are served one after the other
    db.session.execute(select(TrainingSession.id).filter(TrainingSession.id == session.id).with_for_update())
    existing = db.session.execute(
        select(TrainingRegistration).filter(TrainingRegistration.session_id == session.id, TrainingRegistration.email == email)
    ).scalar_one_or_none()
    if existing is not None and existing.status == REGISTERED:
        raise TrainingRefused(_("%(email)s est déjà inscrit·e à cette session.", email=email))
    count = registered_count(session)
    if count >= session.capacity:
        raise TrainingRefused(_("La session est complète (%(capacity)s places) : inscription refusée.", capacity=session.capacity))
    registration = existing or TrainingRegistration(session_id=session.id, email=email)
    registration.first_name = first_name
    registration.last_name = last_name
    registration.person_id = person.id if person is not None else None
    registration.cooperative_id = cooperative.id if cooperative is not None else None
    registration.registered_at = utcnow()
    registration.status = REGISTERED
    registration.attended = None
    if existing is None:
        db.session.add(registration)
    else:
        registration.version = (registration.version or 0) + 1
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return registration


def cancel_registration(registration: TrainingRegistration, *, commit: bool = True) -> None:
    if registration.status != REGISTERED:
        raise TrainingRefused(_("L'inscription de %(name)s est déjà annulée.", name=registration.name))
    if registration.session.status == HELD:
        raise TrainingRefused(_("La session a eu lieu : l'inscription de %(name)s ne peut plus être annulée.", name=registration.name))
    registration.status = REGISTRATION_CANCELLED
    registration.attended = None
    registration.version = (registration.version or 0) + 1
    if commit:
        db.session.commit()


def record_attendance(session: TrainingSession, present_ids: Iterable[int], today: date | None = None, *, commit: bool = True) -> tuple[int, int]:
    """Mark each live registrant present (id in ``present_ids``) or absent; the session becomes « Tenue ».

    Returns (present, absent). Recording again corrects the previous record.
    """
    today = today or date.today()
    if session.status == CANCELLED:
        raise TrainingRefused(_("La session est annulée : pas de présences à noter."))
    if session.starts_at.date() > today:
        raise TrainingRefused(_("La session n'a pas encore eu lieu (le %(day)s) : les présences se notent le jour même ou après.", day=_day(session.starts_at.date())))
    wanted = {int(value) for value in present_ids}
    present = absent = 0
    for registration in registrations(session):
        registration.attended = registration.id in wanted
        present += registration.attended
        absent += not registration.attended
    session.status = HELD
    session.version = (session.version or 0) + 1
    if commit:
        db.session.commit()
    return present, absent


def attendees(session: TrainingSession) -> list[TrainingRegistration]:
    return [registration for registration in registrations(session) if registration.attended]


# --- personal data ------------------------------------------------------------------------------


def personal_data(email: str | None) -> list[dict]:
    """The registrations held for ``email`` (GDPR access), as plain data."""
    if not email:
        return []
    rows = db.session.execute(
        select(TrainingRegistration).filter(func.lower(TrainingRegistration.email) == email.strip().lower()).order_by(TrainingRegistration.registered_at)
    ).scalars()
    return [
        {"formation": str(row.session), "prénom": row.first_name, "nom": row.last_name, "courriel": row.email, "statut": row.status_label,
         "présence": None if row.attended is None else bool(row.attended)}
        for row in rows
    ]


def forget_person(person=None, email: str | None = None) -> int:
    """Erase the names and address of a person's registrations (by directory person and/or address); keep the counts.

    Returns how many registrations were erased. The caller commits.
    """
    email = (email or (person.email if person is not None else None) or "").strip().lower()
    query = select(TrainingRegistration)
    conditions = []
    if person is not None:
        conditions.append(TrainingRegistration.person_id == person.id)
    if email:
        conditions.append(func.lower(TrainingRegistration.email) == email)
    if not conditions:
        return 0
    rows = list(db.session.execute(query.filter(or_(*conditions))).scalars())
    for row in rows:
        row.first_name = "Personne"
        row.last_name = f"anonymisée n° {row.id}"
        row.email = f"anonyme-{row.id}@invalid"
        row.person_id = None
    return len(rows)


# --- documents ---------------------------------------------------------------------------------


def certificates(session: TrainingSession, people: Iterable[TrainingRegistration]) -> render.PdfDocument:
    """One attendance certificate per person who attended (``render.certificate``)."""
    names = [registration.name for registration in people if registration.attended]
    if not names:
        raise TrainingRefused(_("Aucune présence notée : pas d'attestation à éditer."))
    place = None if session.place in ("visio", OTHER_PLACE) else session.place_label
    return render.certificate(names, session.training.title, session.starts_at.date(), float(session.hours), place=place)


def attendance_sheet(session: TrainingSession) -> render.PdfDocument:
    """The sign-in sheet of the live registrants."""
    rows = [(registration.last_name, registration.first_name, registration.cooperative.affiliation_number if registration.cooperative else "")
            for registration in registrations(session)]
    details = [f"Durée : {render.french_duration(session.hours)}", f"Inscrits : {len(rows)} / {session.capacity}"]
    return render.attendance_sheet(session.training.title, session.starts_at.date(), session.place_label, rows,
                                   columns=["Nom", "Prénom", "Coopérative"], details=details)


# --- figures -----------------------------------------------------------------------------------


def year_sessions(year, *, upcoming_from: date | None = None) -> list[tuple[TrainingSession, int]]:
    """The planned sessions of ``year`` (from a day, if given) with their live registrations: one query."""
    query = select(TrainingSession, TrainingSession.registered).filter(TrainingSession.school_year_id == year.id, TrainingSession.status == PLANNED)
    if upcoming_from is not None:
        query = query.filter(TrainingSession.starts_at >= datetime.combine(upcoming_from, datetime.min.time()))
    return [(row[0], row[1]) for row in db.session.execute(query.order_by(TrainingSession.starts_at))]


__all__ = [
    "TrainingRefused", "attendance_sheet", "attendees", "cancel_registration", "cancel_session", "cancellation_preview", "certificates",
    "create_session", "forget_person", "invite", "personal_data", "record_attendance", "register", "registered_count", "registrations", "session_fields", "session_problems",
    "to_decide", "training_by_title", "under_minimum", "year_sessions",
]
