"""Free loans (prêt gratuit) of thematic trunks, teaching books and kits.

Item kinds come from the modules (``occe_loan_item_kinds``): the core lends
thematic trunks and teaching books; action plugins add theirs (endangered
species kits, the Ecocoop trunk, Étamine's trunks...). A loan reserves one
item for a cooperative over dates; no two live loans of an item overlap
(see ``service.book``, which serialises the bookings of one item).
"""

from __future__ import annotations

from datetime import date

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

RESERVED = "reservee"
OUT = "sortie"
RETURNED = "rendue"
CANCELLED = "annulee"
STATUSES = {RESERVED: "Réservée", OUT: "Sortie", RETURNED: "Rendue", CANCELLED: "Annulée"}
#: Loans that hold the item over their dates.
LIVE_STATUSES = (RESERVED, OUT)

CONDITIONS = {"bon": "Bon état", "use": "Usé", "a_reparer": "À réparer", "hors_service": "Hors service"}


def checklist_lines(text: str | None) -> list[str]:
    """The contents checklist, one element per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class LoanItem(Versioned, db.Model):
    """A trunk, a book or a kit the association lends.

    ``bookings`` counts the bookings ever made; incrementing it is also how a
    booking locks the item (a row lock on PostgreSQL, the write lock on SQLite),
    so two staff booking it at the same moment are served one after the other.
    """

    __tablename__ = "occe_loan_item"

    id = Column(Integer, primary_key=True)
    kind = Column(String(40), nullable=False, index=True)
    code = Column(String(30), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    description = Column(Text)
    checklist = Column(Text)
    condition = Column(String(20), nullable=False, default="bon")
    location = Column(String(120))
    active = Column(Boolean, nullable=False, default=True)
    bookings = Column(Integer, nullable=False, default=0, server_default="0")

    @property
    def checklist_items(self) -> list[str]:
        return checklist_lines(self.checklist)

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Loan(Versioned, db.Model):
    __tablename__ = "occe_loan"
    __table_args__ = (Index("ix_occe_loan_item_dates", "item_id", "starts_on", "ends_on"), Index("ix_occe_loan_status_ends", "status", "ends_on"))

    id = Column(Integer, primary_key=True)
    item_id = Column(Integer, ForeignKey("occe_loan_item.id"), nullable=False)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    classroom_id = Column(Integer, ForeignKey("occe_classroom.id"))
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    starts_on = Column(Date, nullable=False)
    ends_on = Column(Date, nullable=False)
    status = Column(String(10), nullable=False, default=RESERVED)
    checked_out_on = Column(Date)
    checkout_checklist = Column(Text)
    returned_on = Column(Date)
    missing_on_return = Column(Text)
    return_condition = Column(String(20))
    reminded_on = Column(Date)
    notes = Column(Text)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))

    item = relationship("LoanItem", lazy="joined")
    cooperative = relationship("Cooperative", lazy="joined")
    classroom = relationship("Classroom", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    created_by = relationship(User, lazy="joined")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == OUT and self.ends_on < (today or date.today())

    def __str__(self) -> str:
        return f"{self.item.code if self.item else self.item_id} → {self.cooperative.affiliation_number if self.cooperative else self.cooperative_id}"
