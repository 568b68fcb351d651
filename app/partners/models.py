"""Who an external partner is in the console, which actions it works on, and what it records.

A partner organisation (:class:`app.association.models.Partner`) gets user
accounts (:class:`PartnerAccount`) and actions (:class:`ActionPartner`, one
organisation can work on several, the Caravane d'Art on both THEA and Bals en
liance). What its artists do in the classes is a :class:`PartnerSession`,
shared by every partner-led action plugin; the closing event of an action (a
theatre meeting, a ball) is a :class:`PartnerEvent` with the classes taking part.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Table, Text, Time, UniqueConstraint, select
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

PLANNED, HELD, CANCELLED = "prevue", "tenue", "annulee"
SESSION_STATUSES = {PLANNED: "Prévue", HELD: "Tenue", CANCELLED: "Annulée"}


class PartnerAccount(db.Model):
    """A user account that acts for a partner organisation (one organisation per account)."""

    __tablename__ = "occe_partner_account"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, unique=True)
    partner_id = Column(Integer, ForeignKey("occe_partner.id"), nullable=False, index=True)

    user = relationship(User, lazy="joined")
    partner = relationship("Partner", lazy="joined")

    def __str__(self) -> str:
        return f"{self.user} — {self.partner}"


class ActionPartner(db.Model):
    """A partner organisation working on an action (of one school year, like every action)."""

    __tablename__ = "occe_action_partner"
    __table_args__ = (UniqueConstraint("action_id", "partner_id", name="uq_occe_action_partner"),)

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("occe_action.id", ondelete="CASCADE"), nullable=False, index=True)
    partner_id = Column(Integer, ForeignKey("occe_partner.id"), nullable=False, index=True)

    action = relationship("Action", lazy="joined")
    partner = relationship("Partner", lazy="joined")

    def __str__(self) -> str:
        return f"{self.partner} — {self.action}"


class PartnerSession(Versioned, db.Model):
    """An artist's session in a registered class: planned, then held (hours, a short report) or cancelled."""

    __tablename__ = "occe_partner_session"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    partner_id = Column(Integer, ForeignKey("occe_partner.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, index=True)
    artist = Column(String(150), nullable=False)
    starts_at = Column(DateTime, nullable=False)
    hours = Column(Numeric(5, 2), nullable=False, default=Decimal("1"))
    status = Column(String(10), nullable=False, default=PLANNED)
    report = Column(Text)
    recorded_at = Column(DateTime, nullable=False, default=datetime.now)

    partner = relationship("Partner", lazy="joined")
    action = relationship("Action", lazy="joined")
    registration = relationship("Registration", lazy="joined")

    def __str__(self) -> str:
        return f"{self.artist} — {self.starts_at:%d/%m/%Y %H:%M}" if self.starts_at else str(self.artist)


# --- closing events (the theatre meeting, the ball) ---------------------------------------------

MEETING, BALL, OTHER_EVENT = "rencontre", "bal", "autre"
EVENT_KINDS = {MEETING: "Rencontre théâtrale", BALL: "Bal", OTHER_EVENT: "Autre"}

#: The classes taking part in a closing event: registrations of the event's action.
partner_event_class = Table(
    "occe_partner_event_class",
    db.metadata,
    Column("event_id", Integer, ForeignKey("occe_partner_event.id", ondelete="CASCADE"), primary_key=True),
    Column("registration_id", Integer, ForeignKey("occe_registration.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PartnerEvent(Versioned, db.Model):
    """The closing event of a partner-led action (a theatre meeting, a ball) and the classes taking part."""

    __tablename__ = "occe_partner_event"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    kind = Column(String(10), nullable=False, default=MEETING)
    title = Column(String(200), nullable=False)
    held_on = Column(Date, nullable=False)
    starts_at = Column(Time)
    venue = Column(String(200), nullable=False)
    notes = Column(Text)

    action = relationship("Action", lazy="joined")
    registrations = relationship("Registration", secondary=partner_event_class, lazy="selectin", order_by="Registration.id")

    @property
    def class_ids(self) -> list[int]:
        """The form's view of the classes (a multiple select of registration ids)."""
        return [registration.id for registration in self.registrations]

    @class_ids.setter
    def class_ids(self, ids) -> None:
        # the form validated the ids (app.partners.events.event_problems) before this runs
        from app.actions.models import Registration

        wanted = sorted({int(value) for value in ids or ()})
        self.registrations = list(db.session.execute(select(Registration).where(Registration.id.in_(wanted)).order_by(Registration.id)).scalars()) if wanted else []

    @property
    def class_count(self) -> int:
        return len(self.registrations)

    @property
    def total_pupils(self) -> int:
        return sum(registration.class_pupils or 0 for registration in self.registrations)

    def __str__(self) -> str:
        return f"{self.title} — {self.held_on:%d/%m/%Y}" if self.held_on else str(self.title)
