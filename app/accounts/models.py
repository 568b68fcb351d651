"""CRFS (compte rendu financier simplifié) and account checks (vérifications de comptes).

A cooperative sends its CRFS for the school year that has just ended (1 September
to 31 August) by 30 September: the balances of the year, and three pieces (the
quitus signed by the mandataire and two account checkers, the August bank
statement, the proofs of subsidies when it received some). An account check is a
visit or a review of a cooperative's accounts, asked by the CAC (commission des
comptes), by the team, or decided after reading a CRFS.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db
from app.money import money
from app.uploads.models import StoredFile

# --- CRFS statuses (computed, never stored) --------------------------------
NOT_RECEIVED = "non_recu"
LATE = "en_retard"
RECEIVED = "recu"
RECEIVED_LATE = "recu_en_retard"
INCOMPLETE = "incomplet"
STATUSES = {
    NOT_RECEIVED: "Non reçu",
    LATE: "En retard",
    RECEIVED: "Reçu",
    RECEIVED_LATE: "Reçu en retard",
    INCOMPLETE: "Incomplet",
}

#: Subsidies proofs: provided, missing, or not applicable (no subsidy this year).
SUBSIDIES_YES = "oui"
SUBSIDIES_NO = "non"
SUBSIDIES_NA = "sans_objet"
SUBSIDIES_CHOICES = {SUBSIDIES_YES: "Fournis", SUBSIDIES_NO: "Manquants", SUBSIDIES_NA: "Sans objet (aucune subvention)"}

# --- account checks ----------------------------------------------------------
ORIGINS = {
    "cac": "Demande de la CAC",
    "equipe": "Demande de l'équipe",
    "crfs": "Initiative après un CRFS",
}
OUTCOMES = {
    "en_cours": "En cours",
    "conformes": "Comptes conformes",
    "a_regulariser": "À régulariser",
    "transmis_ca": "Transmis au conseil d'administration",
}

ZERO = Decimal("0.00")


def due_date_for(year) -> date:
    """30 September right after the school year ``year`` ends."""
    return date(year.end_date.year, 9, 30)


class Crfs(Versioned, db.Model):
    """The CRFS of one cooperative for one school year (the year the report covers)."""

    __tablename__ = "occe_crfs"
    __table_args__ = (UniqueConstraint("cooperative_id", "school_year_id", name="uq_occe_crfs_coop_year"),)

    id = Column(Integer, primary_key=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    due_on = Column(Date, nullable=False)
    received_on = Column(Date, index=True)
    opening_balance = Column(Numeric(10, 2), nullable=False, default=ZERO)
    income = Column(Numeric(10, 2), nullable=False, default=ZERO)
    expenses = Column(Numeric(10, 2), nullable=False, default=ZERO)
    closing_balance = Column(Numeric(10, 2), nullable=False, default=ZERO)
    quitus_signed = Column(Boolean, nullable=False, default=False)
    bank_statement = Column(Boolean, nullable=False, default=False)
    subsidies_proofs = Column(String(12), nullable=False, default=SUBSIDIES_NO)
    quitus_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    statement_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    subsidies_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    anomalies = Column(Text)

    cooperative = relationship("Cooperative", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    quitus_file = relationship(StoredFile, foreign_keys=[quitus_file_id])
    statement_file = relationship(StoredFile, foreign_keys=[statement_file_id])
    subsidies_file = relationship(StoredFile, foreign_keys=[subsidies_file_id])

    # --- computed -------------------------------------------------------------

    @property
    def missing_pieces(self) -> list[str]:
        """The checklist items still missing, in French."""
        missing = []
        if not self.quitus_signed:
            missing.append(_("quitus signé"))
        if not self.bank_statement:
            missing.append(_("relevé bancaire d'août"))
        if (self.subsidies_proofs or SUBSIDIES_NO) == SUBSIDIES_NO:
            missing.append(_("justificatifs de subventions"))
        return missing

    def status(self, today: date | None = None) -> str:
        if self.received_on is None:
            return LATE if self.due_on and self.due_on < (today or date.today()) else NOT_RECEIVED
        if self.missing_pieces:
            return INCOMPLETE
        if self.due_on and self.received_on > self.due_on:
            return RECEIVED_LATE
        return RECEIVED

    @property
    def status_code(self) -> str:
        return self.status()

    @property
    def status_label(self) -> str:
        return STATUSES[self.status()]

    @property
    def expected_closing(self) -> Decimal:
        return Decimal(self.opening_balance or 0) + Decimal(self.income or 0) - Decimal(self.expenses or 0)

    @property
    def balance_warning(self) -> str | None:
        """A French warning when opening + income − expenses differs from the closing balance."""
        expected = self.expected_closing
        closing = Decimal(self.closing_balance or 0)
        if expected == closing:
            return None
        return _(
            "Solde incohérent : solde de début %(opening)s + recettes %(income)s − dépenses %(expenses)s = %(expected)s, "
            "mais le solde de fin déclaré est %(closing)s (écart %(gap)s).",
            opening=money(self.opening_balance or 0),
            income=money(self.income or 0),
            expenses=money(self.expenses or 0),
            expected=money(expected),
            closing=money(closing),
            gap=money(closing - expected),
        )

    @property
    def balance_flag(self) -> str:
        """The list column: « Écart » when the balances do not add up."""
        return _("Écart") if self.balance_warning else ""

    # download links for the show page (FAB formatters get the value only, not the record)
    @property
    def quitus_link(self):
        from app.uploads.views import file_link

        return file_link("CrfsView", self, "quitus_file")

    @property
    def statement_link(self):
        from app.uploads.views import file_link

        return file_link("CrfsView", self, "statement_file")

    @property
    def subsidies_link(self):
        from app.uploads.views import file_link

        return file_link("CrfsView", self, "subsidies_file")

    def __str__(self) -> str:
        coop = self.cooperative.affiliation_number if self.cooperative else self.cooperative_id
        year = self.school_year.label if self.school_year else self.school_year_id
        return f"CRFS {year} — {coop}"


class AccountCheck(Versioned, db.Model):
    """A check of a cooperative's accounts: why, the visit, the advice, the outcome."""

    __tablename__ = "occe_account_check"

    id = Column(Integer, primary_key=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    origin = Column(String(10), nullable=False, default="equipe")
    crfs_id = Column(Integer, ForeignKey("occe_crfs.id"), index=True)
    requested_on = Column(Date, nullable=False, default=date.today)
    visit_on = Column(Date)
    visited_by = Column(String(150))
    advice = Column(Text)
    documents_sent = Column(Text)
    outcome = Column(String(15), nullable=False, default="en_cours")
    outcome_notes = Column(Text)
    closed_on = Column(Date, index=True)

    cooperative = relationship("Cooperative", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    crfs = relationship("Crfs", lazy="joined")

    @property
    def origin_label(self) -> str:
        return ORIGINS.get(self.origin, self.origin)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)

    def __str__(self) -> str:
        coop = self.cooperative.affiliation_number if self.cooperative else self.cooperative_id
        return f"Vérification {coop} du {self.requested_on:%d/%m/%Y}" if self.requested_on else f"Vérification {coop}"
