"""Business rules of Étamine, as plain functions over the session.

Registrations go through the core's actions service (``app.actions.service``);
the copy-and-binding requests live in this plugin's table. The cap (one copy
per pupil of the class) is checked here, for every caller, and again by the
form so that a refused request keeps what was typed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from app.actions import service as registrations
from app.actions.catalogue import ensure_action
from app.actions.models import ACCEPTED, ACTIVE_STATUSES, CLASS_AUDIENCE, Action, Registration
from app.directory.models import Classroom, Cooperative
from app.actions.figures import plugin_registrations
from app.extensions import db
from app.loans.models import LoanItem
from app.years.service import current_year, get_year, previous_label

from .models import STATUSES, STEP_DATES, STEPS, EtamineCopyRequest

CODE = "etamine"
ACTION_CODE = "etamine"
ACTION_NAME = "Étamine"
DESCRIPTION = (
    "Action fédérale de lecture et de création de livres : prêt des malles de livres produits par les classes "
    "les années précédentes et de la malle « lecture » ; copie et reliure, sur demande, du livre créé par la classe "
    "(un exemplaire par élève au plus)."
)
TRUNK_KIND = "malle_etamine"
READING_KIND = "malle_lecture"


class CopyRequestRefused(ValueError):
    """A copy request the rules refuse; the message is French, for the staff."""


# --- the action -----------------------------------------------------------------------------


def ensure_year_action(year) -> Action:
    """Étamine's action of ``year`` (registrations from 1 September to 31 May), never duplicated. The caller commits."""
    start = year.start_date.year
    return ensure_action(
        year, ACTION_CODE, ACTION_NAME, plugin_code=CODE, audience=CLASS_AUDIENCE, description=DESCRIPTION,
        opens_on=date(start, 9, 1), closes_on=date(start + 1, 5, 31),
    )  # fmt: skip


def registration_count(year) -> int:
    """Classes (or cooperatives) registered to this plugin's actions in ``year``, refusals and cancellations left out."""
    return plugin_registrations(CODE, year)


def live_registrations(year_id: int | None) -> list[Registration]:
    """The classes registered to Étamine in the year (for the copy request form), by cooperative and class."""
    query = (
        select(Registration)
        .join(Action, Registration.action_id == Action.id)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
        .filter(Action.plugin_code == CODE, Action.school_year_id == year_id, Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Cooperative.affiliation_number, Classroom.name)
    )
    return list(db.session.execute(query).scalars())


def registration_label(registration: Registration) -> str:
    school = registration.cooperative.school.name if registration.cooperative and registration.cooperative.school else ""
    who = registration.classroom.name if registration.classroom else "toute la coopérative"
    return f"{registration.cooperative.affiliation_number} — {who} ({school})"


# --- copies and binding ------------------------------------------------------------------------


def copies_cap(registration: Registration) -> int | None:
    """The most copies the class may ask: its pupils (the registration's count when given, else the class's)."""
    if registration.pupils is not None:
        return registration.pupils
    if registration.classroom is not None:
        return registration.classroom.pupils
    return None


def copies_problem(registration: Registration | None, copies: int | None) -> str | None:
    """Why ``copies`` cannot be asked for this registration (French), or None."""
    if registration is None:
        return "Choisissez la classe inscrite à Étamine."
    if copies is None or copies < 1:
        return "Indiquez le nombre d'exemplaires demandés (1 au moins)."
    cap = copies_cap(registration)
    if cap is not None and copies > cap:
        who = f"de la classe « {registration.classroom.name} »" if registration.classroom else f"de la coopérative {registration.cooperative.affiliation_number}"
        return f"{copies} exemplaires demandés : au plus {cap}, un par élève {who}."
    return None


def registration_problem(registration: Registration) -> str | None:
    """A copy request needs a live registration to Étamine."""
    if registration.action is None or registration.action.plugin_code != CODE:
        return "Les copies et reliures sont réservées aux classes inscrites à Étamine."
    if registration.status not in ACTIVE_STATUSES:
        return f"L'inscription de « {registration} » est {registration.status_label.lower()} : aucune copie ne peut être demandée."
    return None


def request_copies(registration: Registration, book_title: str, copies: int, *, notes: str | None = None, requested_on: date | None = None) -> EtamineCopyRequest:
    """Record a request (status « demandé ») or raise :class:`CopyRequestRefused`. The caller commits."""
    problem = registration_problem(registration) or copies_problem(registration, copies)
    if not (book_title or "").strip():
        problem = problem or "Indiquez le titre du livre créé par la classe."
    if problem:
        raise CopyRequestRefused(problem)
    request = EtamineCopyRequest(book_title=book_title.strip(), copies=copies, notes=notes, requested_on=requested_on or date.today())
    attach(request, registration)
    db.session.add(request)
    db.session.flush()
    return request


def attach(request: EtamineCopyRequest, registration: Registration) -> None:
    """Copy the registration's year, cooperative and class onto the request."""
    request.registration_id = registration.id
    request.registration = registration
    request.school_year_id = registration.school_year_id
    request.cooperative_id = registration.cooperative_id
    request.classroom_id = registration.classroom_id


def next_step(status: str) -> str | None:
    index = STEPS.index(status) if status in STEPS else -1
    return STEPS[index + 1] if 0 <= index < len(STEPS) - 1 else None


def advance(request: EtamineCopyRequest, to_status: str, day: date | None = None) -> None:
    """Move ``request`` one step forward to ``to_status``, dated; raise ValueError (French) otherwise. The caller commits."""
    if to_status not in STATUSES:
        raise ValueError(f"Statut inconnu « {to_status} ».")
    expected = next_step(request.status)
    if to_status != expected:
        current = STATUSES.get(request.status, request.status)
        if expected is None:
            raise ValueError(f"La demande {request} est déjà « {current} » : plus rien à faire.")
        raise ValueError(f"La demande {request} est « {current} » : elle ne peut pas passer à « {STATUSES[to_status]} » (étape suivante : « {STATUSES[expected]} »).")
    request.status = to_status
    setattr(request, STEP_DATES[to_status], day or date.today())
    request.version = (request.version or 1) + 1


def requests_of(cooperative, limit: int = 100) -> list[EtamineCopyRequest]:
    """A cooperative's copy requests, newest first (every year)."""
    query = (
        select(EtamineCopyRequest)
        .filter(EtamineCopyRequest.cooperative_id == cooperative.id)
        .order_by(EtamineCopyRequest.requested_on.desc(), EtamineCopyRequest.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())


def copies_by_status(year) -> dict[str, int]:
    """Copies asked in ``year``, by status."""
    rows = db.session.execute(
        select(EtamineCopyRequest.status, func.sum(EtamineCopyRequest.copies)).filter(EtamineCopyRequest.school_year_id == year.id).group_by(EtamineCopyRequest.status)
    )
    found = {status: int(total or 0) for status, total in rows}
    return {status: found.get(status, 0) for status in STATUSES}


# --- demonstration ---------------------------------------------------------------------------------

#: The trunks of books made by classes in previous years, and the reading trunk.
DEMO_TRUNKS = (
    ("ET-2023", TRUNK_KIND, "Malle Étamine 2023 : livres des classes", "12 livres reliés des classes 2022-2023\nLivret de présentation\nFiche de prêt"),
    ("ET-2024", TRUNK_KIND, "Malle Étamine 2024 : livres des classes", "15 livres reliés des classes 2023-2024\nLivret de présentation\nFiche de prêt"),
    ("LECTURE-01", READING_KIND, "Malle lecture", "30 albums jeunesse\n10 romans premières lectures\n5 documentaires\nLivret d'animations lecture"),
)
DEMO_BOOKS = (
    "Le voyage de la petite graine", "Les secrets de la forêt de Saint-Gobain", "Mon école en 2050", "La cathédrale de Laon raconte",
    "Contes du bord de l'Oise", "L'abécédaire des émotions", "Le monstre qui aimait lire", "Nos recettes de grand-mères",
    "Le tour du monde en 26 lettres", "Les aventures de Coopi",
)  # fmt: skip


def ensure_demo_trunks() -> None:
    """The Étamine trunks and the reading trunk, each added only when its code is missing."""
    existing = set(db.session.execute(select(LoanItem.code).filter(LoanItem.code.in_([code for code, *_ in DEMO_TRUNKS]))).scalars())
    for code, kind, name, checklist in DEMO_TRUNKS:
        if code not in existing:
            db.session.add(LoanItem(kind=kind, code=code, name=name, checklist=checklist, location="Siège OCCE 02, Laon"))
    db.session.flush()


def add_demo(year, classes: int = 20) -> None:
    """Étamine's action of ``year``, ~20 registered classes and copy requests in every status; never doubled.

    For the current year, Étamine is also switched on for the year before when
    nobody ever switched it there, so that ``flask occe demo`` (which then
    calls this hook for that year too) gives the dashboard two years to compare.
    """
    ensure_demo_trunks()
    _demo_year(year, classes)
    current = current_year()
    if current is not None and year.id == current.id:
        _switch_on_last_year(year)


def _switch_on_last_year(year) -> None:
    from app.plugins.switches import activations, current_manager, set_switch

    previous = get_year(previous_label(year.label))
    plugin = current_manager().get(CODE)
    if previous is None or plugin is None or (CODE, previous.id) in activations([previous.id]):
        return
    db.session.commit()  # set_switch commits: keep this year's rows with it
    set_switch(current_manager(), plugin, previous, True)


def _demo_year(year, classes: int) -> None:
    action = ensure_year_action(year)
    if db.session.execute(select(Registration.id).filter_by(action_id=action.id).limit(1)).first():
        return
    rng = random.Random(f"etamine-{year.label}")
    candidates = list(
        db.session.execute(
            select(Classroom, Cooperative)
            .join(Cooperative, Cooperative.school_id == Classroom.school_id)
            .filter(Classroom.school_year_id == year.id, Cooperative.status == "active", Classroom.pupils > 0)
            .order_by(Classroom.id)
        ).all()
    )
    chosen = rng.sample(candidates, min(classes, len(candidates)))
    # in March for past years; for the current year, early enough that every step is already past
    first_day = min(date(year.start_date.year + 1, 3, 1), max(year.start_date, date.today() - timedelta(days=75)))
    for index, (classroom, cooperative) in enumerate(chosen):
        registration = registrations.register(action, cooperative, classroom, today=action.opens_on, commit=False)
        db.session.flush()
        registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        if index % 3 == 2:
            continue  # some classes only borrow trunks
        status = STEPS[index % len(STEPS)]
        request = request_copies(
            registration, DEMO_BOOKS[index % len(DEMO_BOOKS)], max(1, min(classroom.pupils, rng.randint(12, 28))),
            requested_on=first_day + timedelta(days=index),
        )  # fmt: skip
        day = request.requested_on
        for step in STEPS[1 : STEPS.index(status) + 1]:
            day += timedelta(days=7)
            advance(request, step, day)
    db.session.flush()

