"""Who an external partner is in the console, which actions it works on, and what it records.

A partner organisation (:class:`app.association.models.Partner`) gets user
accounts (:class:`PartnerAccount`) and actions (:class:`ActionPartner`, one
organisation can work on several, the Caravane d'Art on both THEA and Bals en
liance). What its artists do in the classes is a :class:`PartnerSession`,
shared by every partner-led action plugin.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
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
