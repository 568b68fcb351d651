"""Business rules of « La Picardie en Poésie », as plain functions over the session.

- the year's action (a core ``Action``: the classes register through the core's pages);
- who sees what: the staff every row of the viewed year, the publisher's
  account only the rows of the actions its organisation works on;
- the teachers' 3 h training (a core training session, its teachers registered and invited);
- the receipt mail of a production;
- the distribution of the productions into the anthology's chapters.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import g, has_request_context
from sqlalchemy import func, select, update

from app.actions.catalogue import ensure_action as ensure_core_action
from app.actions.catalogue import get_action
from app.actions.models import ACTIVE_STATUSES, CLASS_AUDIENCE, Action, Registration
from app.extensions import db
from app.mail import service as mail
from app.mail.recipients import Recipient, RecipientList, greeting, person_fields, valid_address
from app.partners.scope import is_partner_only, action_ids_of, current_partner_id

from .models import KINDS, PoesieChapter, PoesieProduction
from .typography import credit_of

CODE = "poesie"
ACTION_NAME = "La Picardie en Poésie"
TRAINING_TITLE = "La Picardie en Poésie"
PUBLISHER = "Éditions L'ail des ours"
RECEIPT = "accuse_reception"
#: What a class may send: PDF, images and plain text (checked by content and size by app/uploads).
PRODUCTION_KINDS = ("pdf", "jpeg", "png", "text")


class PoesieRefused(ValueError):
    """A step the rules refuse; the message is French."""


# --- the year's action ------------------------------------------------------------------------


def ensure_action(year) -> Action:
    """The action « La Picardie en Poésie » of ``year``, created when missing. The caller commits."""
    start = year.start_date.year
    return ensure_core_action(
        year, CODE, ACTION_NAME, plugin_code=CODE, audience=CLASS_AUDIENCE,
        description="Projet d'écriture poétique avec les Éditions L'ail des ours : dossiers ressources, "
        "formation des enseignants (3 h), productions des classes réunies dans un ouvrage-recueil.",
        opens_on=date(start, 9, 1), closes_on=date(start, 11, 30),
    )  # fmt: skip


def action_of(year) -> Action | None:
    return get_action(year, CODE) if year is not None else None


# --- who sees what ----------------------------------------------------------------------------


def is_partner() -> bool:
    """Whether the person signed in acts for a partner (the Partenaire role, and not staff)."""
    return has_request_context() and is_partner_only(getattr(g, "user", None))


def visible_action_ids(year_id: int | None = None) -> list[int]:
    """The poetry actions the person signed in may see, in the viewed year (or ``year_id``).

    Staff: the year's action. A partner's account: only if its organisation
    works on it (an account tied to no organisation sees nothing).
    """
    if year_id is None:
        from app.actions.views import viewed_year_id

        year_id = viewed_year_id()
    ids = list(db.session.execute(select(Action.id).filter(Action.school_year_id == year_id, Action.plugin_code == CODE)).scalars())
    if is_partner():
        allowed = set(action_ids_of(current_partner_id()))
        ids = [action_id for action_id in ids if action_id in allowed]
    return ids or [-1]


def live_registrations(action_ids: list[int]) -> list[Registration]:
    """The classes taking part (registrations not refused nor cancelled), by school then class."""
    from app.directory.models import Classroom, Cooperative, School

    query = (
        select(Registration)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .join(School, Cooperative.school_id == School.id)
        .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
        .filter(Registration.action_id.in_(action_ids), Registration.status.in_(ACTIVE_STATUSES))
        .order_by(School.name, Classroom.name, Registration.id)
    )
    return list(db.session.execute(query).scalars().unique())


def registration_label(registration: Registration) -> str:
    return credit_of(registration)


# --- the teachers' training -------------------------------------------------------------------


def year_session(year):
    """The year's session of the training created by this plugin, if any."""
    from app.trainings.models import TrainingSession
    from app.trainings.service import training_by_title

    training = training_by_title(TRAINING_TITLE)
    if training is None:
        return None
    query = select(TrainingSession).filter_by(training_id=training.id, school_year_id=year.id, plugin_code=CODE).order_by(TrainingSession.id)
    return db.session.execute(query.limit(1)).scalar_one_or_none()


def organise_training(year, starts_at: datetime, place: str, *, capacity: int = 30, place_detail: str | None = None, user_id: int | None = None):
    """Create (once) the year's 3 h session, register the live classes' teachers (once each) and invite the new ones.

    Returns ``(session, registered, skipped, batch)``: the teachers newly
    registered, French lines for the classes left out (no teacher address),
    and the invitation batch (None when nobody new). Commits.
    """
    from app.trainings import service as trainings
    from app.trainings.mails import registrant_recipients
    from app.trainings.models import REGISTERED, TrainingRegistration

    training = trainings.training_by_title(TRAINING_TITLE)
    if training is None:
        raise PoesieRefused("La formation « La Picardie en Poésie » manque au catalogue des formations : ajoutez-la d'abord.")
    action = action_of(year)
    if action is None:
        raise PoesieRefused(f"Pas d'action « {ACTION_NAME} » pour {year.label} : activez le module pour cette année.")
    session = year_session(year)
    if session is None:
        try:
            session = trainings.create_session(training, year, starts_at, place, capacity=capacity, plugin_code=CODE, place_detail=place_detail, commit=False)
        except trainings.TrainingRefused as refusal:
            raise PoesieRefused(str(refusal)) from None
    known = {
        email
        for email, status in db.session.execute(
            select(TrainingRegistration.email, TrainingRegistration.status).filter(TrainingRegistration.session_id == session.id)
        )
        if status == REGISTERED
    }
    added, skipped = [], []
    for registration in live_registrations([action.id]):
        email = (registration.teacher_email or "").strip().lower()
        teacher = registration.classroom.teacher if registration.classroom is not None else None
        if not email or teacher is None:
            skipped.append(f"{credit_of(registration)} : pas d'adresse de courriel de l'enseignant·e.")
            continue
        if email in known:
            continue
        try:
            added.append(
                trainings.register(
                    session, first_name=teacher.first_name or "", last_name=teacher.last_name or "", email=email,
                    person=teacher, cooperative=registration.cooperative, commit=False,
                )  # fmt: skip
            )
        except trainings.TrainingRefused as refusal:
            skipped.append(f"{credit_of(registration)} : {refusal}")
            continue
        known.add(email)
    batch = None
    if added:
        batch = trainings.invite(
            session, registrant_recipients(added), user_id=user_id,
            message="Cette formation de 3 heures est destinée aux enseignant·es inscrit·es à La Picardie en Poésie, avec Michel Fiévet des Éditions L'ail des ours.",
        )  # fmt: skip
    db.session.commit()
    return session, added, skipped, batch


# --- productions ------------------------------------------------------------------------------


def text_of_upload(production: PoesieProduction) -> None:
    """When a UTF-8 text file was sent and no text typed, the poem's text is the file's."""
    from app.uploads.service import content

    stored = production.file
    if stored is not None and stored.kind == "text" and not (production.text or "").strip():
        production.text = content(stored).decode("utf-8").strip()


def receipt_recipients(production: PoesieProduction) -> RecipientList:
    """The class's teacher (else the cooperative's mandataire), personalised for the receipt."""
    registration = production.registration
    result = RecipientList()
    teacher = registration.classroom.teacher if registration.classroom is not None else None
    mandataire = registration.cooperative.mandataire if registration.cooperative is not None else None
    person = teacher if teacher is not None and valid_address(teacher.email) else mandataire
    if person is None or not valid_address(person.email):
        result.missing.append(f"{credit_of(registration)} : ni l'enseignant·e ni le ou la mandataire n'a d'adresse de courriel.")
        return result
    fields = person_fields(person.civility, person.first_name, person.last_name, person.email)
    context = {
        "greeting": greeting(fields),
        "recipient": {"name": fields["name"] if fields else "", "email": person.email},
        "production": {
            "title": production.title,
            "kind": KINDS.get(production.kind, production.kind),
            "received_at": f"{production.received_at:%d/%m/%Y}" if production.received_at else "",
            "credit": credit_of(registration),
            "filename": production.file.filename if production.file is not None else "",
        },
    }
    result.recipients.append(Recipient(email=person.email.strip(), name=fields["name"] if fields else "", cooperative_id=registration.cooperative_id, context=context))
    return result


def queue_receipt(production: PoesieProduction, user_id: int | None = None):
    """Queue « Nous avons bien reçu … » to the class; ``(batch, None)`` or ``(None, French reason)``. The caller commits."""
    recipients = receipt_recipients(production)
    if not recipients.recipients:
        return None, "Accusé de réception non envoyé : " + " ".join(recipients.missing)
    batch = mail.queue(
        f"{CODE}:{RECEIPT}", recipients, label=f"Accusé de réception : {production.title}"[:200], module=CODE,
        year=production.registration.school_year, user_id=user_id, commit=False,
    )  # fmt: skip
    return batch, None


# --- chapters and order -----------------------------------------------------------------------


def chapters_of(action_ids: list[int]) -> list[PoesieChapter]:
    query = select(PoesieChapter).filter(PoesieChapter.action_id.in_(action_ids)).order_by(PoesieChapter.position, PoesieChapter.id)
    return list(db.session.execute(query).scalars())


def productions_of(action_ids: list[int]) -> list[PoesieProduction]:
    query = select(PoesieProduction).filter(PoesieProduction.action_id.in_(action_ids)).order_by(PoesieProduction.position, PoesieProduction.id)
    return list(db.session.execute(query).scalars().unique())


def distribution(action_ids: list[int]) -> tuple[list[PoesieProduction], list[tuple[PoesieChapter, list[PoesieProduction]]]]:
    """The productions not yet placed (by reception), and each chapter's productions in order."""
    chapters = chapters_of(action_ids)
    placed: dict[int, list[PoesieProduction]] = {chapter.id: [] for chapter in chapters}
    waiting = []
    for production in productions_of(action_ids):
        if production.chapter_id in placed:
            placed[production.chapter_id].append(production)
        else:
            waiting.append(production)
    waiting.sort(key=lambda p: (p.received_at or date.min, p.id))
    return waiting, [(chapter, placed[chapter.id]) for chapter in chapters]


def _bump(production: PoesieProduction, expected_version: int | None) -> None:
    """Raise the row's version, refusing when it moved since the page was shown (another person's change)."""
    changed = db.session.execute(
        update(PoesieProduction)
        .where(PoesieProduction.id == production.id, PoesieProduction.version == (production.version if expected_version is None else expected_version))
        .values(version=PoesieProduction.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise PoesieRefused(
            f"« {production.title} » a été déplacée par quelqu'un d'autre entre-temps : la répartition affichée a été actualisée, recommencez."
        )


def _renumber(chapter_id: int) -> list[PoesieProduction]:
    rows = list(
        db.session.execute(
            select(PoesieProduction).filter(PoesieProduction.chapter_id == chapter_id).order_by(PoesieProduction.position, PoesieProduction.id)
        ).scalars().unique()
    )
    for number, row in enumerate(rows, start=1):
        row.position = number
    return rows


def move(production: PoesieProduction, direction: str, version: int | None = None) -> None:
    """Move a placed production one place ``up`` or ``down`` in its chapter (both rows' versions go up). Commits."""
    if production.chapter_id is None:
        raise PoesieRefused(f"« {production.title} » n'est dans aucun chapitre : placez-la d'abord.")
    if direction not in ("up", "down"):
        raise PoesieRefused("Déplacement inconnu.")
    _bump(production, version)
    rows = _renumber(production.chapter_id)
    index = next(i for i, row in enumerate(rows) if row.id == production.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index].position, rows[other].position = rows[other].position, rows[index].position
        _bump(rows[other], rows[other].version)
    db.session.commit()


def place(production: PoesieProduction, chapter: PoesieChapter | None, version: int | None = None) -> None:
    """Put a production at the end of ``chapter``, or take it out of the chapters (``None``). Commits."""
    if chapter is not None and chapter.action_id != production.action_id:
        raise PoesieRefused("Ce chapitre n'est pas celui de l'ouvrage de cette production.")
    _bump(production, version)
    previous = production.chapter_id
    if chapter is None:
        production.chapter_id, production.position = None, None
    elif chapter.id != previous:
        last = db.session.execute(select(func.max(PoesieProduction.position)).filter(PoesieProduction.chapter_id == chapter.id)).scalar()
        production.chapter_id, production.position = chapter.id, (last or 0) + 1
    db.session.flush()
    if previous is not None and previous != production.chapter_id:
        _renumber(previous)
    db.session.commit()


# --- figures ----------------------------------------------------------------------------------


def figures(year) -> dict[str, int]:
    """Classes taking part, productions received, productions placed in chapters, for ``year``."""
    action = action_of(year)
    if action is None:
        return {"classes": 0, "received": 0, "placed": 0}
    classes = db.session.execute(
        select(func.count(Registration.id)).filter(Registration.action_id == action.id, Registration.status.in_(ACTIVE_STATUSES))
    ).scalar_one()
    received, placed = db.session.execute(
        select(func.count(PoesieProduction.id), func.count(PoesieProduction.chapter_id)).filter(PoesieProduction.action_id == action.id)
    ).one()
    return {"classes": classes, "received": received, "placed": placed}
