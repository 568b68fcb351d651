"""The departmental animator's in-class interventions: themes, teachers' requests, planned days.

The animator works alone, so requests are ranked (see ``selection.py``) and
grouped into days of one sector. After each intervention the booklet handed
over to the teacher is recorded on the request.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.actions.models import utcnow
from app.datamodel import Versioned
from app.extensions import db

REQUESTED = "demandee"
PLANNED = "planifiee"
DONE = "realisee"
REFUSED = "refusee"
CANCELLED = "annulee"
STATUSES = {REQUESTED: "Demandée", PLANNED: "Planifiée", DONE: "Réalisée", REFUSED: "Refusée", CANCELLED: "Annulée"}

#: The catalogue of the 2025-2026 activity plan, loaded by ``flask occe demo`` and the first upgrade.
DEFAULT_THEMES = (
    "Jeux coopératifs physiques",
    "Jeux coopératifs de plateau",
    "Discussions philo",
    "Confiance en soi",
    "Message clair",
    "Émotions",
    "Droits de l'enfant",
    "La ruche",
    "Conseil de coopérative",
)


class InterventionTheme(Versioned, db.Model):
    __tablename__ = "occe_intervention_theme"

    id = Column(Integer, primary_key=True)
    name = Column(String(120), nullable=False, unique=True)
    description = Column(Text)
    booklet = Column(Text)
    active = Column(Boolean, nullable=False, default=True)

    def __str__(self) -> str:
        return self.name


class InterventionDay(Versioned, db.Model):
    """One day of the animator in one sector; an animator has at most one day per date."""

    __tablename__ = "occe_intervention_day"
    __table_args__ = (UniqueConstraint("animator_id", "day", name="uq_occe_intervention_day_animator"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    day = Column(Date, nullable=False, index=True)
    sector_id = Column(Integer, ForeignKey("occe_sector.id"), index=True)
    animator_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    notes = Column(Text)

    school_year = relationship("SchoolYear", lazy="joined")
    sector = relationship("Sector", lazy="joined")
    animator = relationship(User, lazy="joined")

    def __str__(self) -> str:
        where = f" — {self.sector.name}" if self.sector else ""
        return f"{self.day:%d/%m/%Y}{where}"


class InterventionRequest(Versioned, db.Model):
    """A teacher's request for an in-class intervention on a theme, and what became of it."""

    __tablename__ = "occe_intervention_request"
    __table_args__ = (Index("ix_occe_intervention_request_year_status", "school_year_id", "status"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    classroom_id = Column(Integer, ForeignKey("occe_classroom.id"), index=True)
    teacher_id = Column(Integer, ForeignKey("occe_person.id"), index=True)
    theme_id = Column(Integer, ForeignKey("occe_intervention_theme.id"), nullable=False, index=True)
    requested_at = Column(DateTime, nullable=False, default=utcnow)
    whole_team = Column(Boolean, nullable=False, default=False)
    motivation = Column(Text)
    status = Column(String(12), nullable=False, default=REQUESTED)
    day_id = Column(Integer, ForeignKey("occe_intervention_day.id"), index=True)
    override_points = Column(Integer, nullable=False, default=0)
    override_reason = Column(String(300))
    override_by_id = Column(Integer, ForeignKey("ab_user.id"))
    override_at = Column(DateTime)
    done_on = Column(Date)
    booklet_given = Column(Boolean, nullable=False, default=False)
    booklet_notes = Column(Text)

    school_year = relationship("SchoolYear", lazy="joined")
    cooperative = relationship("Cooperative", lazy="joined")
    classroom = relationship("Classroom", lazy="joined")
    teacher = relationship("Person", lazy="joined")
    theme = relationship("InterventionTheme", lazy="joined")
    day = relationship("InterventionDay", lazy="joined", backref="requests")
    override_by = relationship(User, foreign_keys=[override_by_id], lazy="joined")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        who = self.classroom.name if self.classroom else str(self.cooperative)
        return f"{who} — {self.theme.name}" if self.theme else who
