"""What the partner-led actions share through the core: hours per partner, session clashes, closing events.

The API the THEA 02 and Bals en liance 02 plugins (and any partner-led action) call::

    from app.partners import service as partners

    partners.hours_by_partner(year, action_ids=[thea.id])   # [HoursRow(partner, action, held_hours, planned_hours, sessions)]
    partners.session_clashes(session)                        # the same artist's other sessions overlapping it
    partners.create_event(action, kind="bal", title="Bal de fin d'année", held_on=date(2026, 6, 12),
                          venue="Salle des fêtes de Chauny", registrations=[...])  # a PartnerEvent

Refusals raise :class:`EventRefused` (a ``ValueError``) with a French sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.actions.models import ACCEPTED, DONE, Action, Registration
from app.association.models import Partner
from app.extensions import db
from app.partners.models import CANCELLED, EVENT_KINDS, HELD, PLANNED, ActionPartner, PartnerEvent, PartnerSession
from app.partners.schedule import artist_key, ends_at

#: A class takes part in a closing event once retained (or its action done).
EVENT_STATUSES = (ACCEPTED, DONE)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class EventRefused(ValueError):
    """A closing event the rules refuse, with a French reason."""


def _year_id(year) -> int | None:
    return year if year is None or isinstance(year, int) else year.id


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


# --- hours per partner ------------------------------------------------------------------------


@dataclass
class HoursRow:
    """The hours one partner organisation gave (held) and has still planned on one action of the year."""

    partner: Partner
    action: Action
    held_hours: Decimal
    planned_hours: Decimal
    sessions: int


def hours_by_partner(year, action_ids: Iterable[int] | None = None) -> list[HoursRow]:
    """Held and planned hours per partner and action of ``year`` (a SchoolYear or its id), one SQL query.

    ``sessions`` counts the sessions held or planned (cancelled ones count for nothing).
    Ordered by partner then action name: what the association pays each company under its agreement.
    """
    totals = (
        select(
            PartnerSession.partner_id.label("partner_id"),
            PartnerSession.action_id.label("action_id"),
            func.sum(case((PartnerSession.status == HELD, PartnerSession.hours), else_=0)).label("held"),
            func.sum(case((PartnerSession.status == PLANNED, PartnerSession.hours), else_=0)).label("planned"),
            func.count(PartnerSession.id).label("sessions"),
        )
        .where(PartnerSession.school_year_id == _year_id(year), PartnerSession.status != CANCELLED)
        .group_by(PartnerSession.partner_id, PartnerSession.action_id)
    )
    if action_ids is not None:
        totals = totals.where(PartnerSession.action_id.in_(list(action_ids)))
    totals = totals.subquery()
    query = (
        select(Partner, Action, totals.c.held, totals.c.planned, totals.c.sessions)
        .join(Partner, Partner.id == totals.c.partner_id)
        .join(Action, Action.id == totals.c.action_id)
        .order_by(Partner.name, Action.name, Action.id)
    )
    return [HoursRow(partner, action, _decimal(held), _decimal(planned), int(count)) for partner, action, held, planned, count in db.session.execute(query)]


@dataclass
class HoursTotal:
    label: str
    held_hours: Decimal = ZERO
    planned_hours: Decimal = ZERO
    sessions: int = 0

    def add(self, row: HoursRow) -> None:
        self.held_hours += row.held_hours
        self.planned_hours += row.planned_hours
        self.sessions += row.sessions


def hours_totals(rows: Iterable[HoursRow]) -> tuple[list[HoursTotal], list[HoursTotal], HoursTotal]:
    """The totals per partner, per action (both by name) and overall, of :func:`hours_by_partner`'s rows."""
    partners: dict[int, HoursTotal] = {}
    actions: dict[int, HoursTotal] = {}
    overall = HoursTotal(_("Total"))
    for row in rows:
        partners.setdefault(row.partner.id, HoursTotal(row.partner.name)).add(row)
        actions.setdefault(row.action.id, HoursTotal(row.action.name)).add(row)
        overall.add(row)
    by_label = lambda total: total.label.casefold()  # noqa: E731
    return sorted(partners.values(), key=by_label), sorted(actions.values(), key=by_label), overall


def hours_text(value: Decimal | None) -> str:
    """« 2 h », « 1,5 h »: hours the French way."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " h"


# --- clashes -----------------------------------------------------------------------------------


def session_clashes(session: PartnerSession, *, partner_id: int | None = None) -> list[PartnerSession]:
    """The same artist's other sessions of the year overlapping ``session`` (none when it is cancelled).

    ``partner_id``: only that organisation's sessions (what a partner may know of).
    """
    if session.status == CANCELLED or session.starts_at is None:
        return []
    end = ends_at(session)
    # a session lasts 12 hours at most: only the ones starting within 12 hours before can reach this one
    query = select(PartnerSession).where(
        PartnerSession.school_year_id == session.school_year_id,
        PartnerSession.status != CANCELLED,
        PartnerSession.starts_at < end,
        PartnerSession.starts_at > session.starts_at - timedelta(hours=12),
    )
    if session.id is not None:
        query = query.where(PartnerSession.id != session.id)
    if partner_id is not None:
        query = query.where(PartnerSession.partner_id == partner_id)
    key = artist_key(session.artist)
    found = db.session.execute(query.order_by(PartnerSession.starts_at, PartnerSession.id)).scalars()
    return [other for other in found if artist_key(other.artist) == key and ends_at(other) > session.starts_at]


def clash_sentence(other: PartnerSession) -> str:
    """« Chevauche la séance du 12/01/2026 à 14:00 (École Louise Michel, Soissons) »."""
    school = other.registration.cooperative.school if other.registration is not None and other.registration.cooperative is not None else None
    where = ", ".join(part for part in ((school.name, school.commune) if school is not None else ()) if part)
    if other.registration is not None and other.registration.classroom is not None:
        where = f"{other.registration.classroom.name}, {where}" if where else other.registration.classroom.name
    return _("Chevauche la séance du %(day)s à %(time)s (%(where)s)", day=f"{other.starts_at:%d/%m/%Y}", time=f"{other.starts_at:%H:%M}", where=where)


# --- closing events ----------------------------------------------------------------------------


def partner_led_action_ids(year) -> list[int]:
    """The actions of ``year`` at least one partner organisation works on."""
    query = select(Action.id).join(ActionPartner, ActionPartner.action_id == Action.id).where(Action.school_year_id == _year_id(year)).distinct()
    return list(db.session.execute(query).scalars())


def event_problems(action: Action | None, registrations: Iterable[Registration]) -> list[str]:
    """Why these classes cannot take part in ``action``'s closing event (French), or []."""
    problems = []
    for registration in registrations:
        who = registration.classroom.name if registration.classroom is not None else str(registration.cooperative)
        if action is None or registration.action_id != action.id:
            problems.append(_("La classe « %(who)s » est inscrite à une autre action : elle ne peut pas participer à cette rencontre.", who=who))
        elif registration.status not in EVENT_STATUSES:
            problems.append(
                _("La classe « %(who)s » n'est pas retenue pour « %(action)s » : seules les classes retenues participent.", who=who, action=action.name)
            )
    return problems


def create_event(
    action: Action,
    *,
    kind: str,
    title: str,
    held_on: date,
    venue: str,
    registrations: Iterable[Registration] = (),
    notes: str | None = None,
    starts_at=None,
    commit: bool = True,
) -> PartnerEvent:
    """The closing event of ``action`` (a theatre meeting, a ball) with the retained classes taking part."""
    registrations = list(registrations)
    title, venue = (title or "").strip(), (venue or "").strip()
    problems = []
    if kind not in EVENT_KINDS:
        problems.append(_("Type de rencontre inconnu « %(kind)s » : choisissez %(choices)s.", kind=kind, choices=", ".join(EVENT_KINDS.values())))
    if not title:
        problems.append(_("Indiquez le titre de la rencontre."))
    if not venue:
        problems.append(_("Indiquez le lieu de la rencontre."))
    if held_on is None:
        problems.append(_("Indiquez la date de la rencontre."))
    problems.extend(event_problems(action, registrations))
    if problems:
        raise EventRefused(" ".join(problems))
    event = PartnerEvent(
        school_year_id=action.school_year_id,
        action=action,
        kind=kind,
        title=title,
        held_on=held_on,
        starts_at=starts_at,
        venue=venue,
        notes=notes or None,
        registrations=registrations,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return event
