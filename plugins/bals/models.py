"""The table of Bals en liance 02 (every table name starts with ``bals_``).

The action, the class registrations, the artists' sessions and the ball are
the core's (``Action``, ``Registration``, ``app.partners``); Bals en liance
adds what is specific to dance: what each retained class dances at the ball.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db


class BalsClassDance(Versioned, db.Model):
    """A class's part in the ball: dances worked on, music, number of dancers, accessibility needs."""

    __tablename__ = "bals_class_dance"

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, unique=True)
    # denormalised from the registration: the pages filter on the viewed year and the partner's actions
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    dances = Column(Text, nullable=False)
    music = Column(Text)
    dancers = Column(Integer, nullable=False)
    accessibility_needs = Column(Text)

    registration = relationship("Registration", lazy="joined")
    action = relationship("Action", lazy="joined")

    @property
    def school_name(self) -> str:
        return self.registration.school_name if self.registration is not None else ""

    @property
    def class_name(self) -> str:
        classroom = self.registration.classroom if self.registration is not None else None
        return classroom.name if classroom is not None else ""

    def __str__(self) -> str:
        return f"{self.class_name} : {self.dances}" if self.class_name else self.dances
