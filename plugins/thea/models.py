"""The table of THEA 02 (every table name starts with ``thea_``).

The action, the class registrations, the artists' sessions and the closing
event are the core's (``Action``, ``Registration``, ``app.partners``); THEA
adds what is specific to theatre: each retained class's play, with the
running time the rencontre théâtrale's programme is built from.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db


class TheaClassProject(Versioned, db.Model):
    """A class's play for THEA: title, text and author, theme, running time, stage needs."""

    __tablename__ = "thea_class_project"

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, unique=True)
    # denormalised from the registration: the pages filter on the viewed year and the partner's actions
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    author = Column(String(200))
    theme = Column(String(200))
    duration_minutes = Column(Integer, nullable=False, default=15)
    stage_needs = Column(Text)

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
        return f"{self.title} ({self.class_name})" if self.class_name else self.title
