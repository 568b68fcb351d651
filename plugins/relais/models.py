"""The tables of « Actions fédérales relayées » (every table name starts with ``relais_``).

The actions themselves and the cooperatives taking part are the core's
``Action`` and ``Registration`` (with ``plugin_code = "relais"``); this plugin
adds what is specific to a relayed federal action: the federation's page and
deadline, and the log of the federal mails relayed to the participants.
"""

from __future__ import annotations

from datetime import date

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.extensions import db


class RelaisFederalAction(db.Model):
    """The federation's side of one relayed action of one school year."""

    __tablename__ = "relais_federal_action"

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, unique=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    federation_url = Column(String(300))
    federation_contact = Column(String(200))
    federal_deadline = Column(Date)
    notes = Column(Text)

    action = relationship("Action", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")

    @property
    def participants(self) -> str:
        """The affiliation numbers taking part, for the record's page (one query, never on lists)."""
        from .services import participants

        numbers = [registration.cooperative.affiliation_number for registration in participants(self.action)]
        return ", ".join(numbers) if numbers else "aucune pour l'instant"

    def __str__(self) -> str:
        return self.action.name if self.action else f"Action {self.action_id}"


class RelaisRelayedMail(db.Model):
    """A federal mail relayed to the cooperatives taking part in an action."""

    __tablename__ = "relais_relayed_mail"

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    relayed_on = Column(Date, nullable=False, default=date.today)
    subject = Column(String(200), nullable=False)
    summary = Column(Text)
    recipients = Column(Integer, nullable=False, default=0)
    relayed_by_id = Column(Integer, ForeignKey("ab_user.id"))

    action = relationship("Action", lazy="joined")
    relayed_by = relationship(User, lazy="joined")

    def __str__(self) -> str:
        return self.subject
