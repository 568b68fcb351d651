"""Business rules of the Musée de Chevregny days, as plain functions over the session.

The selection reuses the interventions' ranking engine (:mod:`app.interventions.selection`):
this module only turns the Musée registrations into its ``Candidate`` / ``History``
values. For the museum, a cooperative counts as « déjà accompagnée » when it
already had a realised in-class intervention or took part in the Musée days
of an earlier year; the theme exclusion does not apply (a teacher may come back).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from flask import current_app
from sqlalchemy import case, func, select

from app.actions import service as registrations
from app.actions.catalogue import ensure_action as ensure_core_action, get_action
from app.actions.models import ACCEPTED, CLASS_AUDIENCE, DONE, REQUESTED, WAITING, Action, Registration, utcnow
from app.directory.models import Classroom, Cooperative, School, Sector
from app.directory.rules import parse_levels
from app.extensions import db
from app.interventions.selection import Candidate, History, Ranked, Weights, propose_days, rank

from .models import DEFAULT_WORKSHOPS, ChevregnyApplication, ChevregnyDay, ChevregnyWorkshop
from .rotation import rotation, slot_count, slot_times

CODE = "chevregny"
ACTION_CODE = "journees_chevregny"
ACTION_NAME = "Journées coopératives au Musée de Chevregny"
CAPACITY = 12
CLASSES_PER_DAY = 6
ALLOWED_LEVELS = ("CP", "CE1", "CE2", "CM1", "CM2")
DEFAULT_ADULTS = 2
DEFAULT_ENTRY_PRICE = Decimal("3.00")
DEFAULT_TRANSPORT_AMOUNT = Decimal("300.00")
#: the engine's theme: one for every application (its exclusion rule is left out, see the module docstring)
THEME_ID = 0
CANDIDATE_STATUSES = (REQUESTED, WAITING)


class SelectionRefused(ValueError):
    """A step of the selection the rules refuse, with a French reason."""


def _config_amount(key: str, default: Decimal) -> Decimal:
    value = current_app.config.get(key)
    return Decimal(str(value)) if value not in (None, "") else default


def default_entry_price() -> Decimal:
    """Price of one museum entry when the day has none (``OCCE_CHEVREGNY_ENTRY_PRICE``, 3,00 € by default)."""
    return _config_amount("OCCE_CHEVREGNY_ENTRY_PRICE", DEFAULT_ENTRY_PRICE)


def default_transport_amount() -> Decimal:
    """Transport aid asked for a class without a bus quote (``OCCE_CHEVREGNY_TRANSPORT_AMOUNT``, 300,00 € by default)."""
    return _config_amount("OCCE_CHEVREGNY_TRANSPORT_AMOUNT", DEFAULT_TRANSPORT_AMOUNT)


# --- the action and its eligibility ---------------------------------------------------------


def action_of(year) -> Action | None:
    return get_action(year, ACTION_CODE) if year is not None else None


def ensure_action(year) -> Action:
    """The year's core action (classes CP to CM2, 12 places), created when missing. The caller commits."""
    start = year.start_date.year
    return ensure_core_action(
        year, ACTION_CODE, ACTION_NAME, plugin_code=CODE, audience=CLASS_AUDIENCE, capacity=CAPACITY,
        description=(
            "Deux journées coopératives au Musée de l'École publique de Chevregny, 6 classes par journée (du CP au CM2) : "
            "visite du musée, écritures coopératives, monument aux morts, chasse au trésor / herbier, jeux coopératifs, "
            "agenda coop ou discussion philo. Transport aidé et entrées prises en charge."
        ),
        opens_on=date(start, 9, 1), closes_on=date(start + 1, 3, 31), asks_motivation=False,
    )  # fmt: skip


def eligibility_problem(classroom) -> str | None:
    """The Musée days are for classes of CP to CM2 (French reason, or None)."""
    if classroom is None:
        return "Les journées au Musée de Chevregny s'adressent aux classes : inscrivez une classe, pas la coopérative entière."
    try:
        levels = parse_levels(classroom.levels)
    except ValueError:
        levels = []
    outside = [level for level in levels if level not in ALLOWED_LEVELS]
    if not levels or outside:
        return (
            f"La classe « {classroom.name} » ({classroom.levels}) n'est pas une classe du CP au CM2 : "
            "les journées au Musée de Chevregny s'adressent aux classes du CP au CM2."
        )
    return None


# --- days and workshops ---------------------------------------------------------------------


def days_of(year) -> list[ChevregnyDay]:
    if year is None:
        return []
    return list(db.session.execute(select(ChevregnyDay).filter_by(school_year_id=year.id).order_by(ChevregnyDay.day, ChevregnyDay.id)).scalars())


def add_default_workshops(day: ChevregnyDay) -> int:
    """Give a day without workshops the plan's six; return how many were added. The caller commits."""
    if db.session.execute(select(ChevregnyWorkshop.id).filter_by(day_id=day.id).limit(1)).first():
        return 0
    for position, (name, leader, place) in enumerate(DEFAULT_WORKSHOPS, 1):
        db.session.add(ChevregnyWorkshop(day_id=day.id, school_year_id=day.school_year_id, position=position, name=name, leader=leader, place=place))
    db.session.flush()
    return len(DEFAULT_WORKSHOPS)


def create_day(year, label: str, day: date, **fields) -> ChevregnyDay:
    """A new day of ``year`` with the six default workshops. The caller commits."""
    found = ChevregnyDay(school_year_id=year.id, label=label, day=day, **fields)
    db.session.add(found)
    db.session.flush()
    add_default_workshops(found)
    return found


def workshops_of(day: ChevregnyDay) -> list[ChevregnyWorkshop]:
    return list(db.session.execute(select(ChevregnyWorkshop).filter_by(day_id=day.id).order_by(ChevregnyWorkshop.position, ChevregnyWorkshop.id)).scalars())


def classes_of(day: ChevregnyDay) -> list[ChevregnyApplication]:
    """The retained classes of ``day``, in the order they were given the day."""
    query = (
        select(ChevregnyApplication)
        .join(Registration, ChevregnyApplication.registration_id == Registration.id)
        .filter(ChevregnyApplication.day_id == day.id, Registration.status.in_((ACCEPTED, DONE)))
        .order_by(ChevregnyApplication.id)
    )
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True)
class DayPlan:
    """A day's rotation: the slots' times and, per slot, each class's workshop (None: pause)."""

    times: list
    classes: list
    workshops: list
    slots: list

    def grid(self) -> list[tuple[tuple, list]]:
        """[(slot times, [workshop or None per class])] in slot order, for the day's page."""
        per_slot: dict[int, list] = {}
        for slot in self.slots:
            per_slot.setdefault(slot.index, []).append(slot.workshop)
        return [(self.times[index], per_slot.get(index, [])) for index in range(len(self.times))]


def day_plan(day: ChevregnyDay) -> DayPlan:
    classes, workshops = classes_of(day), workshops_of(day)
    slots = rotation(classes, workshops)
    times = slot_times(
        day.starts_at or time(9, 30), day.slot_minutes or 40, slot_count(len(classes), len(workshops)),
        lunch_after_slot=day.lunch_after_slot, lunch_minutes=day.lunch_minutes or 0,
    )  # fmt: skip
    return DayPlan(times, classes, workshops, slots)


def timetables(day: ChevregnyDay):
    """The day's timetables as one PDF: one page per class, then one page per workshop; None without classes."""
    from app.documents import render

    from .rotation import PAUSE_LABEL, time_label

    plan = day_plan(day)
    if not plan.classes or not plan.workshops:
        return None
    title = f"Musée de Chevregny — {day.label}"
    when = render.french_date(day.day, weekday=True)
    doc = render.PdfDocument(f"Emplois du temps — {day.label}")
    for application in plan.classes:
        doc.add_page()
        doc.heading(
            f"{title} : classe {application.classroom_name}", when,
            details=[f"École : {application.school_name}", f"{application.pupils} élèves, {application.adults} adultes"],
        )  # fmt: skip
        rows = []
        for slot in plan.slots:
            if slot.klass is application:
                workshop = slot.workshop
                rows.append([time_label(plan.times[slot.index]), workshop.name if workshop else PAUSE_LABEL, (workshop.leader or "") if workshop else "", (workshop.place or "") if workshop else ""])
        doc.data_table(["Horaire", "Atelier", "Animé par", "Lieu"], rows, widths=[2, 4, 3, 3], fixed_widths={0: 40}, font_size=10, min_row_height=10)
    for workshop in plan.workshops:
        doc.add_page()
        doc.heading(f"{title} : atelier « {workshop.name} »", when, details=[f"Animé par : {workshop.leader or ''}", f"Lieu : {workshop.place or ''}"])
        rows = []
        for slot in plan.slots:
            if slot.workshop is workshop:
                rows.append([time_label(plan.times[slot.index]), slot.klass.classroom_name, slot.klass.school_name, slot.klass.pupils])
        doc.data_table(["Horaire", "Classe", "École", "Élèves"], rows, widths=[2, 3, 5, 1], fixed_widths={0: 40}, font_size=10, min_row_height=10, empty="Aucune classe.")
    return doc


# --- entries ----------------------------------------------------------------------------


def entries_of(day: ChevregnyDay) -> tuple[int, Decimal]:
    """(entries, amount) of a day: the retained classes' pupils and adults, at the day's price."""
    count = sum(application.entries for application in classes_of(day))
    return count, (day.price * count).quantize(Decimal("0.01"))


def year_entries(year) -> tuple[int, Decimal]:
    count, amount = 0, Decimal("0.00")
    for day in days_of(year):
        day_count, day_amount = entries_of(day)
        count, amount = count + day_count, amount + day_amount
    return count, amount


# --- applications and the selection -------------------------------------------------------


def _registrations(action: Action, statuses) -> list[Registration]:
    query = select(Registration).filter(Registration.action_id == action.id, Registration.status.in_(statuses)).order_by(Registration.requested_at, Registration.id)
    return list(db.session.execute(query).scalars())


def application_for(registration: Registration) -> ChevregnyApplication:
    """The application row of ``registration``, created (pupils from the class) when missing. The caller commits."""
    found = db.session.execute(select(ChevregnyApplication).filter_by(registration_id=registration.id)).scalar_one_or_none()
    if found is None:
        found = ChevregnyApplication(
            school_year_id=registration.school_year_id, registration_id=registration.id, pupils=registration.class_pupils or 0,
            adults=DEFAULT_ADULTS, override_points=0,
        )  # fmt: skip
        db.session.add(found)
        db.session.flush()
    return found


def applications_by_registration(action: Action) -> dict[int, ChevregnyApplication]:
    query = select(ChevregnyApplication).join(Registration, ChevregnyApplication.registration_id == Registration.id).filter(Registration.action_id == action.id)
    return {application.registration_id: application for application in db.session.execute(query).scalars()}


def load_candidates(action: Action) -> tuple[list[Candidate], History, dict[int, Registration]]:
    """The engine's view of the applications still waiting for a decision (« Demandée », « Liste d'attente »)."""
    pending = _registrations(action, CANDIDATE_STATUSES)
    applications = applications_by_registration(action)
    cooperative_ids = {registration.cooperative_id for registration in pending}
    sectors = dict(
        db.session.execute(
            select(Cooperative.id, Sector.name).outerjoin(Sector, Cooperative.sector_id == Sector.id).filter(Cooperative.id.in_(cooperative_ids or {0}))
        ).all()
    )
    candidates = []
    for registration in pending:
        application = applications.get(registration.id)
        classroom = registration.classroom
        candidates.append(
            Candidate(
                id=registration.id, cooperative_id=registration.cooperative_id, school_id=registration.cooperative.school_id,
                classroom_id=registration.classroom_id, sector=sectors.get(registration.cooperative_id), teacher_id=classroom.teacher_id if classroom else None,
                theme_id=THEME_ID, theme_label=ACTION_NAME, requested_at=registration.requested_at,
                override_points=application.override_points if application else 0, override_reason=(application.override_reason or "") if application else "",
            )  # fmt: skip
        )
    from app.interventions.models import DONE as INTERVENTION_DONE, InterventionRequest

    intervened = set(db.session.execute(select(InterventionRequest.cooperative_id).filter(InterventionRequest.status == INTERVENTION_DONE).distinct()).scalars())
    came = set(
        db.session.execute(
            select(Registration.cooperative_id)
            .join(Action, Registration.action_id == Action.id)
            .filter(Action.plugin_code == CODE, Action.id != action.id, Registration.status.in_((ACCEPTED, DONE)))
            .distinct()
        ).scalars()
    )
    school_ids = {registration.cooperative.school_id for registration in pending}
    classes = dict(
        db.session.execute(
            select(Classroom.school_id, func.count(Classroom.id))
            .filter(Classroom.school_year_id == action.school_year_id, Classroom.school_id.in_(school_ids or {0}))
            .group_by(Classroom.school_id)
        ).all()
    )
    history = History(helped_cooperatives=frozenset(intervened | came), helped_teacher_themes=frozenset(), classes_per_school=classes)
    return candidates, history, {registration.id: registration for registration in pending}


def weights() -> Weights:
    return Weights(**current_app.config.get("OCCE_SELECTION_WEIGHTS", {}))


@dataclass(frozen=True)
class SelectionRow:
    ranked: Ranked
    registration: Registration
    application: ChevregnyApplication | None


def selection(action: Action) -> list[SelectionRow]:
    """The applications waiting for a decision, best first, each with its points and the rules' explanations."""
    candidates, history, found = load_candidates(action)
    applications = applications_by_registration(action)
    return [SelectionRow(item, found[item.candidate.id], applications.get(item.candidate.id)) for item in rank(candidates, history, weights())]


def override(registration: Registration, points: int, reason: str, user_id: int | None) -> ChevregnyApplication:
    """Record a manual bonus or penalty with its reason, who and when (the interventions' rule: a reason is required)."""
    reason = (reason or "").strip()
    if points and not reason:
        raise SelectionRefused("Indiquez pourquoi vous modifiez le classement.")
    if not -1000 <= points <= 1000:
        raise SelectionRefused("Le bonus doit être compris entre -1000 et 1000 points.")
    application = application_for(registration)
    application.override_points = points
    application.override_reason = reason[:300] or None
    application.overridden_by_id = user_id
    application.overridden_at = utcnow()
    application.version = (application.version or 0) + 1
    db.session.commit()
    return application


def free_places(day: ChevregnyDay) -> int:
    return max((day.capacity or 0) - len(classes_of(day)), 0)


@dataclass(frozen=True)
class RetainPlan:
    """What « Retenir » will do: (registration, day) retained in order, the registrations put on the waiting list."""

    retained: list
    waiting: list


def plan_retain(action: Action) -> RetainPlan:
    """The top classes for the free places, grouped by sector (``propose_days``), then given the days in date order.

    Raises SelectionRefused (French) when there is no day or no free place.
    """
    from app.actions.service import places_left

    days = days_of(action.school_year)
    if not days:
        raise SelectionRefused("Créez d'abord les journées au musée (Musée de Chevregny › Journées) : il n'y a aucune journée à remplir.")
    day_places = [(day, free_places(day)) for day in days]
    places = sum(free for _day, free in day_places)
    left = places_left(action)
    if left is not None:
        places = min(places, left)
    rows = selection(action)
    if not rows:
        raise SelectionRefused("Aucune candidature en attente de décision.")
    if places <= 0:
        raise SelectionRefused(f"Plus aucune place libre : les {action.capacity or places} places sont déjà attribuées.")
    ranked = [row.ranked for row in rows if not row.ranked.excluded]
    top = ranked[:places]
    # grouped by sector, best sector first (the engine's own grouping), then cut into the days in date order
    ordered = [candidate_id for proposed in propose_days(top, classes_per_day=max(len(top), 1)) for candidate_id in proposed.candidate_ids]
    by_id = {row.registration.id: row.registration for row in rows}
    retained, queue = [], list(ordered)
    for day, free in day_places:
        for _ in range(free):
            if not queue:
                break
            retained.append((by_id[queue.pop(0)], day))
    chosen = {registration.id for registration, _day in retained}
    waiting = [row.registration for row in rows if row.registration.id not in chosen and row.registration.status != WAITING]
    return RetainPlan(retained, waiting)


def retain(action: Action, user_id: int | None) -> RetainPlan:
    """Apply :func:`plan_retain`: statuses through the core's ``change_status``, days on the application rows. Commits."""
    plan = plan_retain(action)
    try:
        for registration, day in plan.retained:
            application = application_for(registration)
            application.day_id = day.id
            registrations.change_status(registration, ACCEPTED, user_id=user_id, reason=f"Sélection Musée de Chevregny : {day.label}", commit=False)
        for registration in plan.waiting:
            application_for(registration)
            registrations.change_status(registration, WAITING, user_id=user_id, reason="Sélection Musée de Chevregny : pas de place cette année", commit=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan


def retained_applications(year) -> list[ChevregnyApplication]:
    """The year's retained applications that have a day, by day then order of selection."""
    query = (
        select(ChevregnyApplication)
        .join(Registration, ChevregnyApplication.registration_id == Registration.id)
        .join(ChevregnyDay, ChevregnyApplication.day_id == ChevregnyDay.id)
        .filter(ChevregnyApplication.school_year_id == year.id, Registration.status.in_((ACCEPTED, DONE)))
        .order_by(ChevregnyDay.day, ChevregnyApplication.id)
    )
    return list(db.session.execute(query).scalars())


# --- transport aid ----------------------------------------------------------------------


def create_transport_aids(year, *, received_on: date | None = None) -> tuple[int, list[str]]:
    """One transport aid request per retained class that has none (never two); returns (created, French problems). Commits.

    The amount asked is the bus quote typed on the application, else the configured default;
    the quote's file, when uploaded, goes with the request.
    """
    from app.aid import service as aid

    created, problems = 0, []
    for application in retained_applications(year):
        if application.aid_request_id is not None:
            continue
        registration = application.registration
        try:
            request = aid.create_request(
                registration.cooperative, year, f"Transport : journée au Musée de Chevregny ({application.day.label}, classe {application.classroom_name})",
                application.transport_quote or default_transport_amount(), classroom=registration.classroom, kind=aid.TRANSPORT,
                description=f"Car aller-retour pour la journée coopérative du {application.day.day:%d/%m/%Y} au Musée de l'École publique de Chevregny.",
                received_on=received_on, request_file=application.quote_file, commit=False,
            )  # fmt: skip
        except aid.AidRefused as exc:
            problems.append(f"{application.classroom_name} ({application.school_name}) : {exc}")
            continue
        application.aid_request_id = request.id
        application.version = (application.version or 0) + 1
        created += 1
    db.session.commit()
    return created, problems


def transport_totals(year) -> dict:
    from app.aid.models import AidRequest, GRANTED, PAID, REPORTED

    row = db.session.execute(
        select(
            func.count(AidRequest.id),
            func.coalesce(func.sum(case((AidRequest.status.in_((GRANTED, PAID, REPORTED)), AidRequest.amount_granted), else_=0)), 0),
            func.coalesce(func.sum(AidRequest.amount_paid), 0),
        )
        .join(ChevregnyApplication, ChevregnyApplication.aid_request_id == AidRequest.id)
        .filter(ChevregnyApplication.school_year_id == year.id)
    ).one()
    return {"count": row[0], "granted": Decimal(row[1]), "paid": Decimal(row[2])}


# --- figures ------------------------------------------------------------------------------


def figures(year) -> dict:
    action = action_of(year)
    counts = registrations.counts_by_status(action) if action is not None else {}
    applications = sum(counts.get(status, 0) for status in (REQUESTED, ACCEPTED, WAITING, DONE))
    retained = counts.get(ACCEPTED, 0) + counts.get(DONE, 0)
    entries, amount = year_entries(year)
    return {"applications": applications, "retained": retained, "waiting": counts.get(WAITING, 0), "days": len(days_of(year)), "entries": entries,
            "entries_amount": amount, "aid": transport_totals(year)}  # fmt: skip


# --- demonstration ----------------------------------------------------------------------

DEMO_LEADERS = (
    ("Visite du musée", "Mme Delattre, guide du musée"),
    ("Écritures coopératives", "Animatrice départementale OCCE 02"),
    ("Monument aux morts", "M. Lefèvre, association des amis du musée"),
    ("Chasse au trésor / herbier", "Mme Carlier, CPIE de l'Aisne"),
    ("Jeux coopératifs physiques", "M. Dupont, conseiller pédagogique EPS"),
    ("Activités de l'agenda coop (ou discussion philo)", "Administratrice bénévole OCCE 02"),
)


MUSEUM_NAME = "Musée de l'École publique de Chevregny"


def tie_museum(action: Action) -> bool:
    """Tie the museum (a core ``Partner``, when it exists) to the action, so its partner accounts see the retained classes. The caller commits."""
    from app.association.models import Partner
    from app.partners.models import ActionPartner

    museum = db.session.execute(select(Partner).filter_by(name=MUSEUM_NAME)).scalar_one_or_none()
    if museum is None or db.session.execute(select(ActionPartner.id).filter_by(action_id=action.id, partner_id=museum.id)).first():
        return False
    db.session.add(ActionPartner(action_id=action.id, partner_id=museum.id))
    db.session.flush()
    return True


def add_demo(year) -> None:
    """Two days in May, six workshops each, ~15 applying classes CP-CM2, the selection done, transport aids (one granted and paid).

    Deterministic and idempotent: nothing is added when the year already has days.
    """
    from app.aid import service as aid

    if days_of(year):
        return
    action = ensure_action(year)
    tie_museum(action)
    second = year.start_date.year + 1
    days = [create_day(year, "Journée 1", date(second, 5, 12)), create_day(year, "Journée 2", date(second, 5, 19))]
    leaders = dict(DEMO_LEADERS)
    for day in days:
        for workshop in workshops_of(day):
            workshop.leader = leaders.get(workshop.name, workshop.leader)
    rng = random.Random(f"chevregny-{year.label}")
    query = (
        select(Classroom)
        .join(School, Classroom.school_id == School.id)
        .join(Cooperative, Cooperative.school_id == School.id)
        .filter(Classroom.school_year_id == year.id, Cooperative.status == "active")
        .order_by(Classroom.id)
    )
    classes = [classroom for classroom in db.session.execute(query).scalars() if eligibility_problem(classroom) is None]
    chosen = rng.sample(classes, min(15, len(classes)))
    for index, classroom in enumerate(sorted(chosen, key=lambda c: c.id)):
        cooperative = db.session.execute(select(Cooperative).filter_by(school_id=classroom.school_id).order_by(Cooperative.id).limit(1)).scalar_one()
        try:
            registration = registrations.register(action, cooperative, classroom, today=action.opens_on, user_id=None, commit=False)
        except registrations.RegistrationRefused:
            continue
        db.session.flush()
        application_for(registration).adults = 2 + index % 3
    db.session.flush()
    try:
        plan_retain(action)
    except SelectionRefused:
        db.session.flush()
        return
    retain(action, None)
    for position, application in enumerate(retained_applications(year)):
        application.transport_quote = Decimal(260 + 15 * (position % 5))
    db.session.flush()
    create_transport_aids(year, received_on=date(year.start_date.year + 1, 3, 2))
    first = retained_applications(year)
    if first and first[0].aid_request is not None:
        request = first[0].aid_request
        aid.decide(request, request.amount_requested, date(second, 3, 16), note="Transport pris en charge", commit=False)
        aid.pay(request, request.amount_requested, date(second, 4, 6), aid.TRANSFER, commit=False)
    db.session.flush()
