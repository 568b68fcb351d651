"""Business rules of Bals en liance 02, as plain functions over the session.

The class registrations, the artists' sessions, the hours per partner and the
ball itself are the core's (``app.actions``, ``app.partners``): this module
only declares the year's action with its partner, keeps what each class
dances and lists the ball's classes.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.actions import service as registrations
from app.actions.models import ACCEPTED, CLASS_AUDIENCE, Action, Registration
from app.directory.models import Classroom, Cooperative
from app.extensions import db
from app.partners.led import SheetRefused, action_figures, attach_sheet, ensure_partner_action, partner_named, plugin_action, with_sheets
from app.partners.led import closing_event as shared_closing_event
from app.partners.models import HELD, PLANNED, PartnerSession

from .models import BalsClassDance

CODE = "bals"
ACTION_CODE = "bals_en_liance"
ACTION_NAME = "Bals en liance 02 — danse"
#: The organisation of the activity plan and its artist on Bals en liance.
PARTNERS = (("Caravane d'Art - Cie Allant Vers", "Alex Sander Dos Santos"),)


DanceRefused = SheetRefused  # the French refusals of app.partners.led


# --- the year's action --------------------------------------------------------------------------


def action_of(year) -> Action | None:
    return plugin_action(year, CODE)


def ensure_bals_action(year) -> Action:
    """Bals en liance's action of ``year`` (classes register), tied to its partner; never duplicated. The caller commits."""
    start = year.start_date.year
    return ensure_partner_action(
        year, ACTION_CODE, ACTION_NAME, plugin_code=CODE, partners=[name for name, _artist in PARTNERS], audience=CLASS_AUDIENCE,
        description="Danses collectives apprises en classe avec un artiste de la Caravane d'Art, "
                    "(in)formation des enseignants, bal de fin d'année réunissant les classes.",
        opens_on=date(start, 9, 1), closes_on=date(start, 10, 15),
    )  # fmt: skip


# --- what the classes dance ---------------------------------------------------------------------


def check_dance(sheet: BalsClassDance) -> None:
    """Fill the denormalised columns from the registration, or raise :class:`DanceRefused` (French)."""
    attach_sheet(sheet, CODE, "Bals en liance 02", "ses danses attendront qu'elle le soit")
    if sheet.dancers is None or not 1 <= sheet.dancers <= 60:
        raise DanceRefused("Le nombre de danseurs va de 1 à 60.")


# --- the ball -----------------------------------------------------------------------------------


def closing_event(year):
    """The year's ball (core ``PartnerEvent`` of the action), or None."""
    return shared_closing_event(action_of(year))


def ball_classes(registrations_at_ball) -> list[tuple[Registration, BalsClassDance | None]]:
    """The ball's classes by school then class name, each with its dance sheet (None when not yet given)."""
    return with_sheets(BalsClassDance, registrations_at_ball)


def dancers_count(rows) -> int:
    """Dancers at the ball: each class's sheet, or its pupils when the sheet is missing."""
    return sum(sheet.dancers if sheet is not None else (registration.class_pupils or 0) for registration, sheet in rows)


# --- figures ------------------------------------------------------------------------------------


def figures(year) -> dict:
    """Retained classes, their pupils, and the partner's hours held this year (core ``hours_by_partner``)."""
    return action_figures(year, action_of(year))


# --- demonstration ------------------------------------------------------------------------------

DEMO_DANCES = (
    ("Chapelloise, cercle circassien", "Musique trad. (Lo Bal del Lop)", "Un fauteuil roulant : cercle adapté"),
    ("Bourrée à deux temps, scottish", "Violon et accordéon (enregistrement)", None),
    ("Danse de l'ours, polka piquée", "Musique trad. de l'Aisne", None),
    ("Farandole, branle des lavandières", "Cornemuse (enregistrement)", "Un élève malentendant : repères visuels"),
    ("Cercle circassien, mazurka", "Bal folk de la Thiérache", None),
    ("Quadrille, gigue", "Musique trad. irlandaise", None),
)


def add_demo(year) -> None:
    """About 6 retained classes with their dances, Alex Sander Dos Santos's sessions (one clash), the ball; once per year."""
    action = ensure_bals_action(year)
    if db.session.execute(select(BalsClassDance.id).filter_by(school_year_id=year.id).limit(1)).first():
        return
    rng = random.Random(f"bals-{year.label}")
    classes = db.session.execute(select(Classroom).filter(Classroom.school_year_id == year.id).order_by(Classroom.id)).scalars().all()
    coops = dict(db.session.execute(select(Cooperative.school_id, Cooperative).order_by(Cooperative.id)).all())
    eligible = [c for c in classes if c.school_id in coops and any(level in (c.levels or "") for level in ("CP", "CE", "CM"))]
    chosen = sorted(rng.sample(eligible, min(len(DEMO_DANCES), len(eligible))), key=lambda c: c.id)
    retained = []
    for classroom in chosen:
        try:
            registration = registrations.register(action, coops[classroom.school_id], classroom, today=action.opens_on, commit=False)
        except registrations.RegistrationRefused:
            continue
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        retained.append(registration)
    partner, artist = partner_named(PARTNERS[0][0]), PARTNERS[0][1]
    start = year.start_date.year
    for index, registration in enumerate(retained):
        dances, music, needs = DEMO_DANCES[index % len(DEMO_DANCES)]
        db.session.add(BalsClassDance(registration_id=registration.id, action_id=action.id, school_year_id=year.id, dances=dances, music=music,
                                      dancers=registration.class_pupils or 20, accessibility_needs=needs))  # fmt: skip
        for number in range(4):  # four sessions, three weeks apart from January, two classes a day (morning, afternoon)
            day = date(start + 1, 1, 12) + timedelta(weeks=3 * number, days=index // 2)
            held = day < date(start + 1, 3, 1)
            db.session.add(PartnerSession(
                school_year_id=year.id, partner_id=partner.id, action_id=action.id, registration_id=registration.id, artist=artist,
                starts_at=datetime.combine(day, time(9, 0) if index % 2 == 0 else time(14, 0)), hours=Decimal("1.5"), status=HELD if held else PLANNED,
                report="Apprentissage des pas, travail en cercle." if held else None,
            ))  # fmt: skip
    if len(retained) >= 2:  # the deliberate clash: the same artist booked in two schools at 10:00 the same day
        clash = datetime.combine(date(start + 1, 5, 19), time(10, 0))
        for registration in retained[:2]:
            db.session.add(PartnerSession(school_year_id=year.id, partner_id=partner.id, action_id=action.id, registration_id=registration.id,
                                          artist=artist, starts_at=clash, hours=Decimal("1.5"), status=PLANNED))  # fmt: skip
    db.session.flush()
    from app.partners.service import create_event

    create_event(action, kind="bal", title="Bal en liance de fin d'année", held_on=date(start + 1, 6, 12), starts_at=time(14, 0),
                 venue="Salle des fêtes de Chauny", registrations=retained, notes="Toutes les classes dansent ensemble le cercle circassien final.", commit=False)  # fmt: skip
