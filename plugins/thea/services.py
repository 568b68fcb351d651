"""Business rules of THEA 02, as plain functions over the session.

The class registrations, the artists' sessions, the hours per partner and the
closing event are the core's (``app.actions``, ``app.partners``): this module
only declares the year's action with its partners, keeps the classes' plays
and builds the rencontre théâtrale's running order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
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

from .models import TheaClassProject

CODE = "thea"
ACTION_CODE = "thea"
ACTION_NAME = "THEA 02 — théâtre"
#: The organisations of the activity plan and their artists on THEA.
PARTNERS = (("Théâtre de La Mascara", "Aurélie Videlier"), ("Caravane d'Art - Cie Allant Vers", "Chuca Tolédo"))
DEFAULT_START = time(9, 30)
DEFAULT_GAP_MINUTES = 5


ProjectRefused = SheetRefused  # the French refusals of app.partners.led


# --- the year's action --------------------------------------------------------------------------


def action_of(year) -> Action | None:
    return plugin_action(year, CODE)


def ensure_thea_action(year) -> Action:
    """THEA's action of ``year`` (classes register), tied to its partner organisations; never duplicated. The caller commits."""
    start = year.start_date.year
    return ensure_partner_action(
        year, ACTION_CODE, ACTION_NAME, plugin_code=CODE, partners=[name for name, _artist in PARTNERS], audience=CLASS_AUDIENCE,
        description="Parcours théâtre en classe avec les artistes du Théâtre de La Mascara et de la Caravane d'Art, "
                    "(in)formation des enseignants, rencontre théâtrale de fin d'année.",
        opens_on=date(start, 9, 1), closes_on=date(start, 10, 15),
    )  # fmt: skip


# --- the classes' plays -------------------------------------------------------------------------


def check_project(project: TheaClassProject) -> None:
    """Fill the denormalised columns from the registration, or raise :class:`ProjectRefused` (French)."""
    attach_sheet(project, CODE, "THEA 02", "son projet attendra qu'elle le soit")
    if project.duration_minutes is None or not 1 <= project.duration_minutes <= 90:
        raise ProjectRefused("La durée du spectacle se compte en minutes, de 1 à 90.")


def project_of(registration_id: int) -> TheaClassProject | None:
    return db.session.execute(select(TheaClassProject).filter_by(registration_id=registration_id)).scalar_one_or_none()


# --- the rencontre théâtrale --------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One class on stage: when it starts and ends, its play (None when not yet given)."""

    starts_at: datetime
    ends_at: datetime
    registration: Registration
    project: TheaClassProject | None

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def running_order(registrations_on_stage, day: date, start: time = DEFAULT_START, gap_minutes: int = DEFAULT_GAP_MINUTES) -> list[Slot]:
    """The meeting's running order: the classes one after the other from ``start``, ``gap_minutes`` between two plays.

    Classes come by school then class name; a class whose play is not yet
    described keeps the default 15 minutes (shown as such on the page).
    """
    slots, clock = [], datetime.combine(day, start)
    for registration, project in with_sheets(TheaClassProject, registrations_on_stage):
        minutes = project.duration_minutes if project is not None else 15
        slots.append(Slot(clock, clock + timedelta(minutes=minutes), registration, project))
        clock += timedelta(minutes=minutes + gap_minutes)
    return slots


def closing_event(year):
    """The year's rencontre théâtrale (core ``PartnerEvent`` of THEA's action), or None."""
    return shared_closing_event(action_of(year))


# --- figures ------------------------------------------------------------------------------------


def figures(year) -> dict:
    """Retained classes, their pupils, and the partners' hours held this year (core ``hours_by_partner``)."""
    return action_figures(year, action_of(year))


# --- demonstration ------------------------------------------------------------------------------

DEMO_PLAYS = (
    ("La Soupe au caillou", "d'après le conte traditionnel", "Partager", 12, "Une marmite, trois tabourets"),
    ("Le Petit Prince de l'Ailette", "création collective de la classe", "L'amitié", 18, "Fond noir, une lampe"),
    ("Les Fables de la Fontaine revisitées", "Jean de La Fontaine", "Les animaux", 15, "Aucun"),
    ("Le Voyage de Zadig", "création collective, d'après Voltaire", "Le voyage", 20, "Un drap tendu, musique (prise jack)"),
    ("Les Musiciens de Brême", "frères Grimm", "La coopération", 14, "Quatre masques, un escabeau"),
    ("Le Château de Coucy", "création collective", "Le patrimoine de l'Aisne", 16, "Deux bancs"),
    ("Histoires pressées", "Bernard Friot", "Le quotidien", 10, "Aucun"),
    ("Moi, j'attends", "d'après Davide Cali", "Le temps qui passe", 13, "Un fil à linge, des pinces"),
)


def add_demo(year) -> None:
    """About 8 retained classes with their plays, the artists' sessions (with one clash), the rencontre; once per year."""
    action = ensure_thea_action(year)
    if db.session.execute(select(TheaClassProject.id).filter_by(school_year_id=year.id).limit(1)).first():
        return
    rng = random.Random(f"thea-{year.label}")
    classes = db.session.execute(select(Classroom).filter(Classroom.school_year_id == year.id).order_by(Classroom.id)).scalars().all()
    coops = dict(db.session.execute(select(Cooperative.school_id, Cooperative).order_by(Cooperative.id)).all())
    eligible = [c for c in classes if c.school_id in coops and any(level in (c.levels or "") for level in ("CE", "CM"))]
    chosen = sorted(rng.sample(eligible, min(len(DEMO_PLAYS), len(eligible))), key=lambda c: c.id)
    retained = []
    for classroom in chosen:
        try:
            registration = registrations.register(action, coops[classroom.school_id], classroom, today=action.opens_on, commit=False)
        except registrations.RegistrationRefused:
            continue
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        retained.append(registration)
    partners = [(partner_named(name), artist) for name, artist in PARTNERS]
    start = year.start_date.year
    for index, registration in enumerate(retained):
        title, author, theme, minutes, stage = DEMO_PLAYS[index % len(DEMO_PLAYS)]
        db.session.add(TheaClassProject(registration_id=registration.id, action_id=action.id, school_year_id=year.id, title=title,
                                        author=author, theme=theme, duration_minutes=minutes, stage_needs=stage))  # fmt: skip
        partner, artist = partners[index % len(partners)]
        for number in range(3):  # three sessions, a fortnight apart from mid-November, on weekdays
            day = date(start, 11, 17) + timedelta(weeks=2 * number, days=index // 2 % 4)
            held = date(start + 1, 1, 1) > day
            db.session.add(PartnerSession(
                school_year_id=year.id, partner_id=partner.id, action_id=action.id, registration_id=registration.id, artist=artist,
                starts_at=datetime.combine(day, time(9 if index % 4 < 2 else 14, 0)), hours=Decimal("2"), status=HELD if held else PLANNED,
                report="Échauffement, improvisations, mise en scène." if held else None,
            ))  # fmt: skip
    if len(retained) >= 3:  # the deliberate clash: Aurélie Videlier booked in two classes on the same morning
        first, third = retained[0], retained[2]
        clash = datetime.combine(date(start + 1, 3, 10), time(9, 0))
        for registration in (first, third):
            db.session.add(PartnerSession(school_year_id=year.id, partner_id=partners[0][0].id, action_id=action.id, registration_id=registration.id,
                                          artist=partners[0][1], starts_at=clash, hours=Decimal("2"), status=PLANNED))  # fmt: skip
    db.session.flush()
    from app.partners.service import create_event

    create_event(action, kind="rencontre", title="Rencontre théâtrale THEA 02", held_on=date(start + 1, 6, 9), starts_at=time(9, 30),
                 venue="Théâtre municipal de Laon", registrations=retained, notes="Chaque classe joue son spectacle ; échanges entre classes.", commit=False)  # fmt: skip
