"""Trainings: the catalogue, the sessions of each school year, the registrations and the attendance.

A :class:`Training` is a catalogue entry (« L'argent à l'école », the monthly
video session for mandataires...), not yearly. A :class:`TrainingSession` is
one date and place of a training in a school year, with a capacity and a
minimum to reach by ``decision_on``: under it, the console proposes to cancel
the session and mails its registrants. A :class:`TrainingRegistration` is a
person registered to a session (a directory Person or just a name and an
address), whose attendance is recorded after the session.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import column_property, relationship

from app.datamodel import Versioned
from app.extensions import db

AUDIENCES = {
    "nouveaux_mandataires": "Nouveaux mandataires",
    "mandataires": "Mandataires",
    "neo_directeurs": "Néo-directeurs",
    "enseignants": "Enseignants",
    "etudiants_inspe": "Étudiants INSPE",
    "educateurs": "Éducateurs et coordinateurs",
    "animateurs": "Animateurs OCCE",
}

OTHER_PLACE = "autre"
VISIO = "visio"
PLACES = {
    "chauny": "Chauny",
    "laon": "Laon",
    "soissons": "Soissons",
    "saint_quentin": "Saint-Quentin",
    VISIO: "Visio",
    "inspe": "INSPE",
    OTHER_PLACE: "Autre",
}

PLANNED = "prevue"
CANCELLED = "annulee"
HELD = "tenue"
SESSION_STATUSES = {PLANNED: "Prévue", CANCELLED: "Annulée", HELD: "Tenue"}

REGISTERED = "inscrite"
REGISTRATION_CANCELLED = "annulee"
REGISTRATION_STATUSES = {REGISTERED: "Inscrite", REGISTRATION_CANCELLED: "Annulée"}


class Training(Versioned, db.Model):
    """A training of the catalogue (seeded by the migration with the activity plan's trainings)."""

    __tablename__ = "occe_training"

    id = Column(Integer, primary_key=True)
    title = Column(String(200), nullable=False, unique=True)
    audience = Column(String(30), nullable=False, default="enseignants")
    description = Column(Text)
    default_hours = Column(Numeric(5, 2))
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return self.title


class TrainingSession(Versioned, db.Model):
    """One date and place of a training, in a school year."""

    __tablename__ = "occe_training_session"
    __table_args__ = (Index("ix_occe_training_session_year_starts", "school_year_id", "starts_at"),)

    id = Column(Integer, primary_key=True)
    training_id = Column(Integer, ForeignKey("occe_training.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False)
    place = Column(String(20), nullable=False)
    place_detail = Column(String(200))
    starts_at = Column(DateTime, nullable=False)
    hours = Column(Numeric(5, 2), nullable=False)
    capacity = Column(Integer, nullable=False)
    minimum = Column(Integer, nullable=False, default=0)
    decision_on = Column(Date)
    animator_id = Column(Integer, ForeignKey("ab_user.id"))
    status = Column(String(10), nullable=False, default=PLANNED, index=True)
    cancelled_reason = Column(Text)
    cancelled_at = Column(DateTime)
    cancelled_by_id = Column(Integer, ForeignKey("ab_user.id"))
    plugin_code = Column(String(40), index=True)
    notes = Column(Text)

    training = relationship("Training", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    animator = relationship(User, lazy="joined", foreign_keys=[animator_id])
    cancelled_by = relationship(User, foreign_keys=[cancelled_by_id])

    @property
    def place_label(self) -> str:
        if self.place == OTHER_PLACE:
            return self.place_detail or PLACES[OTHER_PLACE]
        label = PLACES.get(self.place, self.place or "")
        return f"{label} ({self.place_detail})" if self.place_detail else label

    @property
    def status_label(self) -> str:
        return SESSION_STATUSES.get(self.status, self.status)

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def minimum_alert(self) -> str:
        """« a_decider » (under the minimum at or after the decision date), « sous_minimum », or ""."""
        from app.trainings.service import to_decide, under_minimum

        count = self.registered
        if not under_minimum(self, count=count):
            return ""
        return "a_decider" if to_decide(self, count=count) else "sous_minimum"

    def __str__(self) -> str:
        title = self.training.title if self.training else f"Formation {self.training_id}"
        when = f"{self.starts_at:%d/%m/%Y}" if isinstance(self.starts_at, datetime) else ""
        return f"{title} — {when} — {self.place_label}"


class TrainingRegistration(Versioned, db.Model):
    """A person registered to a session; ``attended`` is None until the attendance is recorded."""

    __tablename__ = "occe_training_registration"
    __table_args__ = (UniqueConstraint("session_id", "email", name="uq_occe_training_registration_session_email"),)

    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("occe_training_session.id"), nullable=False, index=True)
    person_id = Column(Integer, ForeignKey("occe_person.id"), index=True)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    email = Column(String(200), nullable=False)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), index=True)
    registered_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default=REGISTERED)
    attended = Column(Boolean)

    session = relationship("TrainingSession", lazy="joined")
    person = relationship("Person")
    cooperative = relationship("Cooperative", lazy="joined")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def status_label(self) -> str:
        return REGISTRATION_STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


#: Active registrations of a session, as a column of the session (one subquery, no query per row of a list).
TrainingSession.registered = column_property(
    select(func.count(TrainingRegistration.id))
    .where(TrainingRegistration.session_id == TrainingSession.id, TrainingRegistration.status == REGISTERED)
    .correlate_except(TrainingRegistration)
    .scalar_subquery(),
    deferred=False,
)
