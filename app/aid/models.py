"""Financial aid (aide financière) to the cooperatives' projects.

A cooperative sends a request file (the project, the amount asked, the
documents: the request itself and the project's budget); the commission
decides (amount granted, or refusal, or adjournment); the association pays
(cheque or transfer); the cooperative sends the project's report. Statuses
change only through :mod:`app.aid.service`, which refuses impossible steps
in French. Action plugins (the museum days at Chevregny...) create their
transport aids through the same service, with the kind « Transport ».
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db
from app.uploads.models import StoredFile

RECEIVED = "recue"
GRANTED = "accordee"
REFUSED = "refusee"
ADJOURNED = "ajournee"
PAID = "versee"
REPORTED = "bilan_recu"
STATUSES = {
    RECEIVED: "Reçue",
    GRANTED: "Accordée",
    REFUSED: "Refusée",
    ADJOURNED: "Ajournée",
    PAID: "Versée",
    REPORTED: "Bilan reçu",
}
#: Requests the commission has still to decide on.
AWAITING_DECISION = (RECEIVED, ADJOURNED)

PROJECT = "projet"
TRANSPORT = "transport"
KINDS = {PROJECT: "Projet coopératif", TRANSPORT: "Transport"}

CHEQUE = "cheque"
TRANSFER = "virement"
PAYMENT_METHODS = {CHEQUE: "Chèque", TRANSFER: "Virement"}

#: The commission's three possible decisions (the form's choices).
DECISIONS = {GRANTED: "Accorder", REFUSED: "Refuser", ADJOURNED: "Ajourner"}

ZERO = Decimal("0.00")


class AidRequest(Versioned, db.Model):
    """One request for financial aid from a cooperative, in one school year.

    ``sector_id`` is the cooperative's sector when the request was filed (kept
    on the request so that lists filter by sector with a plain index).
    """

    __tablename__ = "occe_aid_request"
    __table_args__ = (Index("ix_occe_aid_request_year_status", "school_year_id", "status"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    sector_id = Column(Integer, ForeignKey("occe_sector.id"), index=True)
    classroom_id = Column(Integer, ForeignKey("occe_classroom.id"), index=True)
    kind = Column(String(12), nullable=False, default=PROJECT)
    project_title = Column(String(200), nullable=False)
    project_description = Column(Text)
    amount_requested = Column(Numeric(10, 2), nullable=False)
    received_on = Column(Date, nullable=False)
    request_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    budget_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    status = Column(String(12), nullable=False, default=RECEIVED)
    commission_on = Column(Date)
    amount_granted = Column(Numeric(10, 2))
    decision_note = Column(Text)
    paid_on = Column(Date)
    amount_paid = Column(Numeric(10, 2))
    payment_method = Column(String(10))
    report_received_on = Column(Date)
    report_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    report_note = Column(Text)

    school_year = relationship("SchoolYear", lazy="joined")
    cooperative = relationship("Cooperative", lazy="joined")
    sector = relationship("Sector", lazy="joined")
    classroom = relationship("Classroom", lazy="joined")
    request_file = relationship(StoredFile, foreign_keys=[request_file_id], lazy="joined")
    budget_file = relationship(StoredFile, foreign_keys=[budget_file_id], lazy="joined")
    report_file = relationship(StoredFile, foreign_keys=[report_file_id], lazy="joined")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def crfs(self) -> int:
        """The list's « CRFS » column: the cooperative, formatted by the view from one query per page."""
        return self.cooperative_id

    def __str__(self) -> str:
        coop = self.cooperative.affiliation_number if self.cooperative else self.cooperative_id
        return f"{coop} — {self.project_title}"
