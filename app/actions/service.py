"""The registration service every action uses: the console's forms, the plugins and (later) the teachers' page.

Rules, in the order a refusal lists them: the cooperative is active; a class
registers to a class action (a class of the cooperative's school, of the
action's year); the registration window is open; no second live registration
of the same class (or cooperative); a motivation when the action asks for
one; the quantity asked within the owning plugin's quota; then the owning
plugin's own eligibility rules (``occe_registration_eligibility``).

Places: ``capacity`` counts registrations retained or done. Retaining when
the action is full puts the registration on the waiting list; when a
retained registration is cancelled, the oldest waiting one moves up. Every
change is kept as a :class:`RegistrationEvent` (who, when, why).
"""

from __future__ import annotations

from datetime import date

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.actions.models import (
    ACCEPTED,
    ACTIVE_STATUSES,
    CANCELLED,
    CLASS_AUDIENCE,
    DONE,
    PLACE_STATUSES,
    REFUSED,
    REQUESTED,
    STATUSES,
    WAITING,
    Action,
    Registration,
    RegistrationEvent,
)
from app.extensions import db

#: Allowed status changes. Refused, done and cancelled are final: a class refused
#: or cancelled may register again (a new registration).
TRANSITIONS = {
    REQUESTED: (ACCEPTED, WAITING, REFUSED, CANCELLED),
    WAITING: (ACCEPTED, REFUSED, CANCELLED),
    ACCEPTED: (DONE, CANCELLED, WAITING),
    REFUSED: (),
    DONE: (),
    CANCELLED: (),
}
PROMOTION_REASON = "Place libérée : montée automatique depuis la liste d'attente."


class RegistrationRefused(ValueError):
    """A registration the rules refuse; ``reasons`` are French sentences for the person."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def _french_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def current_user_id() -> int | None:
    user = getattr(g, "user", None) if has_request_context() else None
    return getattr(user, "id", None) if user is not None and getattr(user, "is_authenticated", False) else None


# --- what a class may ask ---------------------------------------------------------------


def window_problem(action: Action, today: date) -> str | None:
    if action.opens_on and today < action.opens_on:
        return _("Les inscriptions à « %(action)s » ouvrent le %(day)s.", action=action.name, day=_french_date(action.opens_on))
    if action.closes_on and today > action.closes_on:
        return _("Les inscriptions à « %(action)s » sont closes depuis le %(day)s.", action=action.name, day=_french_date(action.closes_on))
    return None


def is_open(action: Action, today: date | None = None) -> bool:
    return window_problem(action, today or date.today()) is None


def live_registration(action: Action, cooperative, classroom) -> Registration | None:
    """The registration of this class (or cooperative) to ``action`` that is still alive, if any."""
    query = select(Registration).filter(Registration.action_id == action.id, Registration.status.in_(ACTIVE_STATUSES))
    if classroom is not None:
        query = query.filter(Registration.classroom_id == classroom.id)
    else:
        query = query.filter(Registration.cooperative_id == cooperative.id, Registration.classroom_id.is_(None))
    return db.session.execute(query.limit(1)).scalar_one_or_none()


def _plugin_for(action: Action):
    """The loaded plugin owning ``action`` and whether it is on for the action's year (None for a console action)."""
    from app.plugins.switches import current_manager, is_on

    if not action.plugin_code:
        return None, True
    plugin = current_manager().get(action.plugin_code)
    if plugin is None or not plugin.ok:
        return None, False
    return plugin, is_on(plugin, action.school_year)


def plugin_quota(action: Action, cooperative, classroom) -> int | None:
    """The most this class (or cooperative) may ask, by the owning plugin's ``occe_registration_quota``."""
    from app.plugins.switches import current_manager

    plugin, on = _plugin_for(action)
    if plugin is None or not on:
        return None
    answered, quota = current_manager().call_one(plugin, "occe_registration_quota", action=action, cooperative=cooperative, classroom=classroom)
    return quota if answered and isinstance(quota, int) else None


def refusal_reasons(
    action: Action,
    cooperative,
    classroom=None,
    *,
    quantity: int | None = None,
    motivation: str | None = None,
    today: date | None = None,
) -> list[str]:
    """Every reason, in French, to refuse this registration; empty when it may be recorded."""
    from app.plugins.switches import current_manager

    today = today or date.today()
    reasons: list[str] = []
    plugin, on = _plugin_for(action)
    if not on:
        reasons.append(_("« %(action)s » n'est pas proposée en %(year)s : son module est désactivé.", action=action.name, year=action.school_year.label))
    if cooperative is None:
        return [*reasons, _("Choisissez la coopérative qui s'inscrit.")]
    if cooperative.status != "active":
        reasons.append(_("La coopérative %(coop)s est fermée : elle ne peut plus s'inscrire.", coop=cooperative.affiliation_number))
    if action.audience == CLASS_AUDIENCE and classroom is None:
        reasons.append(_("Choisissez la classe inscrite : « %(action)s » s'adresse aux classes.", action=action.name))
    if classroom is not None:
        if classroom.school_id != cooperative.school_id:
            reasons.append(_("La classe « %(name)s » n'appartient pas à l'école de la coopérative %(coop)s.", name=classroom.name, coop=cooperative.affiliation_number))
        if classroom.school_year_id != action.school_year_id:
            reasons.append(
                _(
                    "La classe « %(name)s » est une classe de %(class_year)s ; l'action est de %(year)s.",
                    name=classroom.name,
                    class_year=classroom.school_year.label if classroom.school_year else "?",
                    year=action.school_year.label,
                )
            )
    problem = window_problem(action, today)
    if problem:
        reasons.append(problem)
    existing = live_registration(action, cooperative, classroom)
    if existing is not None:
        who = _("La classe « %(name)s »", name=classroom.name) if classroom is not None else _("La coopérative %(coop)s", coop=cooperative.affiliation_number)
        reasons.append(_("%(who)s est déjà inscrite à « %(action)s » (statut : %(status)s).", who=who, action=action.name, status=existing.status_label))
    if action.asks_motivation and not (motivation or "").strip():
        reasons.append(_("« %(action)s » demande quelques mots de motivation.", action=action.name))
    if action.quantity_label:
        if quantity is None or quantity < 1:
            reasons.append(_("Indiquez le nombre de %(what)s demandés (1 au moins).", what=action.quantity_label))
        else:
            quota = plugin_quota(action, cooperative, classroom)
            if quota is not None and quantity > quota:
                reasons.append(
                    _(
                        "La demande (%(asked)s %(what)s) dépasse ce que cette classe peut demander : %(quota)s au plus.",
                        asked=quantity,
                        what=action.quantity_label,
                        quota=quota,
                    )
                )
    if plugin is not None and on:
        answered, extra = current_manager().call_one(plugin, "occe_registration_eligibility", action=action, cooperative=cooperative, classroom=classroom)
        if answered and extra:
            reasons.extend(str(reason) for reason in extra)
    return reasons


# --- recording ------------------------------------------------------------------------------


def _event(registration: Registration, from_status: str | None, to_status: str, user_id: int | None, reason: str | None) -> None:
    db.session.add(RegistrationEvent(registration=registration, from_status=from_status, to_status=to_status, user_id=user_id, reason=reason))


def register(
    action: Action,
    cooperative,
    classroom=None,
    *,
    quantity: int | None = None,
    pupils: int | None = None,
    motivation: str | None = None,
    notes: str | None = None,
    user_id: int | None = None,
    today: date | None = None,
    commit: bool = True,
) -> Registration:
    """Record a new registration (status « Demandée ») or raise :class:`RegistrationRefused`."""
    reasons = refusal_reasons(action, cooperative, classroom, quantity=quantity, motivation=motivation, today=today)
    if reasons:
        raise RegistrationRefused(reasons)
    registration = Registration(
        action=action,
        school_year_id=action.school_year_id,
        cooperative=cooperative,
        classroom=classroom,
        status=REQUESTED,
        quantity=quantity,
        pupils=pupils if pupils is not None else (classroom.pupils if classroom is not None else None),
        motivation=motivation,
        notes=notes,
    )
    db.session.add(registration)
    _event(registration, None, REQUESTED, user_id if user_id is not None else current_user_id(), None)
    if commit:
        db.session.commit()
    return registration


def places_taken(action: Action) -> int:
    return db.session.execute(
        select(func.count(Registration.id)).filter(Registration.action_id == action.id, Registration.status.in_(PLACE_STATUSES))
    ).scalar_one()


def places_left(action: Action) -> int | None:
    """Places still free, or None for an action without capacity."""
    if action.capacity is None:
        return None
    return max(action.capacity - places_taken(action), 0)


def _lock(action: Action) -> None:
    """Serialise the place counting of one action (PostgreSQL row lock; SQLite has one writer anyway)."""
    db.session.execute(select(Action.id).filter(Action.id == action.id).with_for_update())


def change_status(registration: Registration, to_status: str, *, user_id: int | None = None, reason: str | None = None, commit: bool = True) -> list[Registration]:
    """Move ``registration`` to ``to_status``; return the registrations promoted from the waiting list.

    Raises ValueError (French) for a change the rules forbid, and for
    retaining a registration when the action is full.
    """
    if to_status not in STATUSES:
        raise ValueError(_("Statut inconnu « %(status)s ».", status=to_status))
    from_status = registration.status
    if to_status == from_status:
        return []
    if to_status not in TRANSITIONS[from_status]:
        raise ValueError(
            _(
                "Une inscription « %(from)s » ne peut pas devenir « %(to)s ».",
                **{"from": STATUSES[from_status], "to": STATUSES[to_status]},
            )
        )
    action = registration.action
    user_id = user_id if user_id is not None else current_user_id()
    _lock(action)
    if to_status == ACCEPTED and from_status not in PLACE_STATUSES:
        left = places_left(action)
        if left == 0:
            raise ValueError(
                _(
                    "« %(action)s » est complète (%(capacity)s places) : mettez la demande en liste d'attente.",
                    action=action.name,
                    capacity=action.capacity,
                )
            )
    registration.status = to_status
    _event(registration, from_status, to_status, user_id, reason)
    db.session.flush()
    promoted = promote_waiting(action, user_id=user_id, commit=False) if from_status == ACCEPTED else []
    if commit:
        db.session.commit()
    return promoted


def accept_or_wait(registration: Registration, *, user_id: int | None = None, commit: bool = True) -> str:
    """Retain ``registration`` when a place is free, else put it on the waiting list; return the new status."""
    _lock(registration.action)
    left = places_left(registration.action)
    target = WAITING if left == 0 and registration.status not in PLACE_STATUSES else ACCEPTED
    change_status(registration, target, user_id=user_id, commit=commit)
    return target


def promote_waiting(action: Action, *, user_id: int | None = None, commit: bool = True) -> list[Registration]:
    """Move waiting registrations up, oldest first, while the action has free places."""
    left = places_left(action)
    if left == 0:
        return []
    query = (
        select(Registration)
        .filter(Registration.action_id == action.id, Registration.status == WAITING)
        .order_by(Registration.requested_at, Registration.id)
    )
    if left is not None:
        query = query.limit(left)
    promoted = list(db.session.execute(query).scalars())
    for registration in promoted:
        registration.status = ACCEPTED
        _event(registration, WAITING, ACCEPTED, user_id, PROMOTION_REASON)
    db.session.flush()
    if commit:
        db.session.commit()
    return promoted


def counts_by_status(action: Action) -> dict[str, int]:
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id)).filter(Registration.action_id == action.id).group_by(Registration.status)
    )
    found = dict(rows.all())
    return {status: found.get(status, 0) for status in STATUSES}


def under_minimum(action: Action) -> bool:
    """True when the action has a minimum that its retained registrations do not reach."""
    return action.minimum is not None and places_taken(action) < action.minimum
