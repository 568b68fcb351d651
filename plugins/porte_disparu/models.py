"""The tables of « Porté Disparu » (every table name starts with ``porte_disparu_``).

The action and the registered classes are the core's ``Action`` and
``Registration`` (``plugin_code = "porte_disparu"``); the kits and the
Ecocoop trunk are core loan items of this plugin's kinds. The plugin keeps
the lines of the federation's registration recap (matched or not, so the
unmatched ones stay readable) and the log of the federal mails relayed.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class PorteDisparuFederalLine(db.Model):
    """One line of the federation's registration recap, as imported, with what it was matched to."""

    __tablename__ = "porte_disparu_federal_line"
    __table_args__ = (UniqueConstraint("school_year_id", "line_key", name="uq_porte_disparu_line_year_key"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    #: the line's content, normalised: the same line imported twice is recognised
    line_key = Column(String(64), nullable=False)
    line_number = Column(Integer, nullable=False)
    file_name = Column(String(200))
    affiliation_number = Column(String(20))
    uai = Column(String(12))
    school_name = Column(String(200))
    commune = Column(String(120))
    teacher = Column(String(200))
    class_name = Column(String(100))
    levels = Column(String(60))
    pupils = Column(Integer)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), index=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), index=True)
    #: why the line is not (or not fully) matched, in French; empty when registered
    reason = Column(Text)
    imported_at = Column(DateTime, nullable=False, default=utcnow)

    cooperative = relationship("Cooperative", lazy="joined")
    registration = relationship("Registration")

    @property
    def matched(self) -> bool:
        return self.registration_id is not None

    def __str__(self) -> str:
        return f"Ligne {self.line_number} ({self.school_name or self.affiliation_number or '?'})"


class PorteDisparuRelayedMail(db.Model):
    """A federal mail relayed to the classes registered to the year's Porté Disparu."""

    __tablename__ = "porte_disparu_relayed_mail"

    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    relayed_on = Column(Date, nullable=False, default=date.today)
    subject = Column(String(200), nullable=False)
    message = Column(Text)
    recipients = Column(Integer, nullable=False, default=0)
    batch_id = Column(Integer, ForeignKey("occe_mail_batch.id"))
    relayed_by_id = Column(Integer, ForeignKey("ab_user.id"))

    action = relationship("Action", lazy="joined")
    relayed_by = relationship(User, lazy="joined")

    def __str__(self) -> str:
        return self.subject
