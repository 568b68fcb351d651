"""Yearly actions and the registrations of classes (or cooperatives) to them.

An action belongs to a school year. It is owned by a plugin (``plugin_code``,
the plugin's rules then apply: eligibility, quota) or defined by staff in the
console (``plugin_code`` empty). Every status change of a registration is kept
in :class:`RegistrationEvent`, with who and when.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

REQUESTED = "demandee"
ACCEPTED = "retenue"
WAITING = "liste_attente"
REFUSED = "refusee"
DONE = "realisee"
CANCELLED = "annulee"

STATUSES = {
    REQUESTED: "Demandée",
    ACCEPTED: "Retenue",
    WAITING: "Liste d'attente",
    REFUSED: "Refusée",
    DONE: "Réalisée",
    CANCELLED: "Annulée",
}
#: Statuses that hold (or will hold) a place of the action.
ACTIVE_STATUSES = (REQUESTED, ACCEPTED, WAITING, DONE)
#: Statuses that use up the action's capacity.
PLACE_STATUSES = (ACCEPTED, DONE)

CLASS_AUDIENCE = "classe"
COOPERATIVE_AUDIENCE = "cooperative"
AUDIENCES = {CLASS_AUDIENCE: "Une classe", COOPERATIVE_AUDIENCE: "Une coopérative"}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Action(Versioned, db.Model):
    """One yearly activity offered to classes: DéfiMaths 2025-2026, Consom'acteur..."""

    __tablename__ = "occe_action"
    __table_args__ = (UniqueConstraint("school_year_id", "code", name="uq_occe_action_year_code"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    plugin_code = Column(String(40), index=True)
    code = Column(String(60), nullable=False)
    name = Column(String(200), nullable=False)
    description = Column(Text)
    audience = Column(String(12), nullable=False, default=CLASS_AUDIENCE)
    opens_on = Column(Date)
    closes_on = Column(Date)
    capacity = Column(Integer)
    minimum = Column(Integer)
    quantity_label = Column(String(60))
    asks_motivation = Column(Boolean, nullable=False, default=False)
    in_proposals = Column(Boolean, nullable=False, default=True)
    repeat_next_year = Column(Boolean, nullable=False, default=True)

    school_year = relationship("SchoolYear", lazy="joined")

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year.label})" if self.school_year else self.name


class Registration(Versioned, db.Model):
    """A class's (or a cooperative's) registration to an action; its status moves through ``STATUSES``."""

    __tablename__ = "occe_registration"
    __table_args__ = (
        Index("ix_occe_registration_action_status", "action_id", "status"),
        # the status filter within the viewed year, read in the list's order
        Index("ix_occe_registration_year_status_requested", "school_year_id", "status", "requested_at"),
        # the lists' default order (request date) within the viewed year, and within one action:
        # read in index order, a page stops after its rows instead of sorting the year's registrations
        Index("ix_occe_registration_year_requested", "school_year_id", "requested_at"),
        # the year column too, although an action has one year: with two equality terms SQLite's
        # planner prefers this index to the year's when the list is filtered on an action
        Index("ix_occe_registration_action_requested", "action_id", "school_year_id", "requested_at"),
    )

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    # denormalised from the action: the registration lists filter on the viewed year
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    classroom_id = Column(Integer, ForeignKey("occe_classroom.id"), index=True)
    status = Column(String(14), nullable=False, default=REQUESTED)
    requested_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    quantity = Column(Integer)
    pupils = Column(Integer)
    motivation = Column(Text)
    notes = Column(Text)

    action = relationship("Action", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    cooperative = relationship("Cooperative", lazy="joined")
    classroom = relationship("Classroom", lazy="joined")

    # What a partner sees of a registered class (app/partners): never the teacher's phone.
    @property
    def school_name(self) -> str:
        school = self.cooperative.school if self.cooperative is not None else None
        return f"{school.name} ({school.commune})" if school is not None and school.commune else (school.name if school else "")

    @property
    def class_pupils(self) -> int | None:
        return self.pupils if self.pupils is not None else (self.classroom.pupils if self.classroom is not None else None)

    @property
    def teacher_name(self) -> str:
        teacher = self.classroom.teacher if self.classroom is not None else None
        return f"{teacher.first_name} {teacher.last_name}" if teacher is not None else ""

    @property
    def teacher_email(self) -> str:
        teacher = self.classroom.teacher if self.classroom is not None else None
        return (teacher.email or "") if teacher is not None else ""

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        who = self.classroom.name if self.classroom else str(self.cooperative)
        return f"{who} — {self.action.name}" if self.action else who


class RegistrationEvent(db.Model):
    """One status change of a registration: from, to, who, when and why."""

    __tablename__ = "occe_registration_event"

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id", ondelete="CASCADE"), nullable=False, index=True)
    from_status = Column(String(14))
    to_status = Column(String(14), nullable=False)
    at = Column(DateTime, nullable=False, default=utcnow)
    user_id = Column(Integer, ForeignKey("ab_user.id"))
    reason = Column(String(300))

    registration = relationship("Registration")
    user = relationship(User, lazy="joined")

    def __str__(self) -> str:
        return f"{STATUSES.get(self.from_status, '—')} → {STATUSES.get(self.to_status, self.to_status)}"
