"""The tables of the Musée de Chevregny days (every table name starts with ``chevregny_``).

The classes apply through the core's ``Action`` / ``Registration`` (``plugin_code
= "chevregny"``); this plugin adds the days at the museum, each day's workshops,
and one application row per registration: the day it was given, the manual
bonus of the selection (who, when, why), the pupils and adults counted for the
museum entries, the bus quote and the transport aid request (core ``AidRequest``).
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, Time
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

#: The six workshops of the activity plan, pre-filled on every new day (editable afterwards).
DEFAULT_WORKSHOPS = (
    ("Visite du musée", "Guide du musée", "Salles du musée"),
    ("Écritures coopératives", "Animateur OCCE 02", "Salle de classe 1900"),
    ("Monument aux morts", "Animateur OCCE 02", "Place du village"),
    ("Chasse au trésor / herbier", "Animateur OCCE 02", "Jardin du musée"),
    ("Jeux coopératifs physiques", "Animateur OCCE 02", "Préau"),
    ("Activités de l'agenda coop (ou discussion philo)", "Animateur OCCE 02", "Salle d'activités"),
)


class ChevregnyDay(Versioned, db.Model):
    """One cooperative day at the museum: its date, its classes (capacity) and its timetable's frame."""

    __tablename__ = "chevregny_day"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    label = Column(String(60), nullable=False)
    day = Column(Date, nullable=False)
    capacity = Column(Integer, nullable=False, default=6)
    starts_at = Column(Time, nullable=False, default=time(9, 30))
    slot_minutes = Column(Integer, nullable=False, default=40)
    lunch_after_slot = Column(Integer, nullable=False, default=3)
    lunch_minutes = Column(Integer, nullable=False, default=75)
    entry_price = Column(Numeric(10, 2))
    notes = Column(Text)

    school_year = relationship("SchoolYear", lazy="joined")
    workshops = relationship("ChevregnyWorkshop", back_populates="day", order_by="ChevregnyWorkshop.position", lazy="select")

    @property
    def price(self) -> Decimal:
        """The price of one entry this day: the day's, else the configuration's default."""
        from .services import default_entry_price

        return self.entry_price if self.entry_price is not None else default_entry_price()

    @property
    def plan_link(self):
        """A link to the day's page (rotation, entries, timetables), for the list and the record's page."""
        from flask import url_for
        from markupsafe import Markup

        if self.id is None:
            return ""
        return Markup('<a href="{}"><i class="fa fa-th"></i> Voir la rotation</a>').format(url_for("ChevregnyView.day", pk=self.id))

    def __str__(self) -> str:
        return f"{self.label} ({self.day:%d/%m/%Y})" if self.day else self.label


class ChevregnyWorkshop(Versioned, db.Model):
    """A workshop of one day: what the classes do there, who leads it, where."""

    __tablename__ = "chevregny_workshop"

    id = Column(Integer, primary_key=True)
    day_id = Column(Integer, ForeignKey("chevregny_day.id"), nullable=False, index=True)
    # denormalised from the day: the lists filter on the viewed year
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=1)
    name = Column(String(120), nullable=False)
    leader = Column(String(120))
    place = Column(String(120))

    day = relationship("ChevregnyDay", back_populates="workshops", lazy="joined")

    def __str__(self) -> str:
        return self.name


class ChevregnyApplication(Versioned, db.Model):
    """A class's application to the days (one per core registration), written by the selection and by staff."""

    __tablename__ = "chevregny_application"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, unique=True)
    day_id = Column(Integer, ForeignKey("chevregny_day.id"), index=True)
    pupils = Column(Integer, nullable=False, default=0)
    adults = Column(Integer, nullable=False, default=2)
    override_points = Column(Integer, nullable=False, default=0)
    override_reason = Column(String(300))
    overridden_by_id = Column(Integer, ForeignKey("ab_user.id"))
    overridden_at = Column(DateTime)
    transport_quote = Column(Numeric(10, 2))
    quote_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    aid_request_id = Column(Integer, ForeignKey("occe_aid_request.id"), index=True)

    registration = relationship("Registration", lazy="joined")
    day = relationship("ChevregnyDay", lazy="joined")
    overridden_by = relationship(User, lazy="joined")
    quote_file = relationship("StoredFile")
    aid_request = relationship("AidRequest", lazy="joined")

    @property
    def entries(self) -> int:
        return (self.pupils or 0) + (self.adults or 0)

    @property
    def classroom_name(self) -> str:
        classroom = self.registration.classroom if self.registration else None
        return classroom.name if classroom else ""

    @property
    def school_name(self) -> str:
        return self.registration.school_name if self.registration else ""

    @property
    def status_label(self) -> str:
        return self.registration.status_label if self.registration else ""

    @property
    def aid_label(self) -> str:
        from app.money import money

        aid = self.aid_request
        if aid is None:
            return "pas de demande"
        parts = [aid.status_label]
        if aid.amount_granted is not None and aid.amount_granted > 0:
            parts.append(f"accordée {money(aid.amount_granted)}")
        if aid.amount_paid is not None:
            parts.append(f"versée {money(aid.amount_paid)}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return str(self.registration) if self.registration else f"Candidature {self.id}"
