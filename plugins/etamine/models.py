"""The table of Étamine (every table name starts with ``etamine_``).

The action itself and the classes registered to it are the core's ``Action``
and ``Registration`` (``plugin_code = "etamine"``); the trunks lent are the
core's loan items (kinds ``malle_etamine`` and ``malle_lecture``). This plugin
adds what is specific to Étamine: the requests for copies of the book a class
created, printed and bound by the association (one copy per pupil at most).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

REQUESTED = "demande"
PRINTED = "imprime"
BOUND = "relie"
DELIVERED = "livre"
#: The steps of a copy request, in order; a request only moves one step forward.
STATUSES = {REQUESTED: "demandé", PRINTED: "imprimé", BOUND: "relié", DELIVERED: "livré"}
STEPS = tuple(STATUSES)
#: The date column set when a request reaches each step.
STEP_DATES = {REQUESTED: "requested_on", PRINTED: "printed_on", BOUND: "bound_on", DELIVERED: "delivered_on"}


class EtamineCopyRequest(Versioned, db.Model):
    """Copies of the book a registered class created, to print and bind (at most one per pupil)."""

    __tablename__ = "etamine_copy_request"

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, index=True)
    # denormalised from the registration: the lists filter on the viewed year and show the class
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    classroom_id = Column(Integer, ForeignKey("occe_classroom.id"), index=True)
    book_title = Column(String(200), nullable=False)
    copies = Column(Integer, nullable=False)
    status = Column(String(10), nullable=False, default=REQUESTED, index=True)
    requested_on = Column(Date, nullable=False, default=date.today)
    printed_on = Column(Date)
    bound_on = Column(Date)
    delivered_on = Column(Date)
    notes = Column(Text)

    registration = relationship("Registration")
    cooperative = relationship("Cooperative", lazy="joined")
    classroom = relationship("Classroom", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        who = self.classroom.name if self.classroom else ""
        return f"« {self.book_title} » ({who})" if who else f"« {self.book_title} »"
