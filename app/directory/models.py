"""The association's directory: sectors, schools, cooperatives, people, classes, memberships, support.

Many-to-one relations load joined: list pages show related columns
(``school.name``...) and must not issue one query per row.

No pupil is ever stored: pupils are counts. Teachers' names, emails and
phones are the only personal data (see ``gdpr.py``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from flask_appbuilder.security.sqla.models import User
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db

SCHOOL_KINDS = {
    "maternelle": "École maternelle",
    "elementaire": "École élémentaire",
    "primaire": "École primaire",
    "college": "Collège",
    "lycee": "Lycée",
    "autre": "Autre établissement",
}
COOPERATIVE_KINDS = {"cooperative": "Coopérative scolaire", "foyer": "Foyer coopératif"}
COOPERATIVE_STATUSES = {"active": "Active", "fermee": "Fermée"}
CIVILITIES = {"Mme": "Mme", "M.": "M."}
FUNCTIONS = {"mandataire": "Mandataire", "directeur": "Directeur ou directrice", "enseignant": "Enseignant ou enseignante", "autre": "Autre"}
MEMBERSHIP_STATUSES = {"en_attente": "En attente", "validee": "Validée"}
CHANNELS = {"courriel": "Courriel", "telephone": "Téléphone", "visite": "Visite"}


class Sector(Versioned, db.Model):
    """A sector (circonscription) of the department."""

    __tablename__ = "occe_sector"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)

    def __str__(self) -> str:
        return self.name


class School(Versioned, db.Model):
    __tablename__ = "occe_school"

    id = Column(Integer, primary_key=True)
    uai = Column(String(8), nullable=False, unique=True)
    name = Column(String(200), nullable=False, index=True)
    kind = Column(String(20), nullable=False, default="primaire")
    address = Column(String(250))
    postal_code = Column(String(5))
    commune = Column(String(120), index=True)
    sector_id = Column(Integer, ForeignKey("occe_sector.id"), index=True)

    sector = relationship("Sector", lazy="joined")

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})" if self.commune else self.name


class Person(Versioned, db.Model):
    """A teacher, head teacher or mandataire: the only personal data the console holds."""

    __tablename__ = "occe_person"

    id = Column(Integer, primary_key=True)
    civility = Column(String(4))
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False, index=True)
    email = Column(String(200), index=True)
    phone = Column(String(20))
    function = Column(String(20), nullable=False, default="enseignant")
    school_id = Column(Integer, ForeignKey("occe_school.id"), index=True)
    anonymised_on = Column(DateTime)

    school = relationship("School", lazy="joined")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Cooperative(Versioned, db.Model):
    __tablename__ = "occe_cooperative"

    id = Column(Integer, primary_key=True)
    affiliation_number = Column(String(20), nullable=False, unique=True)
    kind = Column(String(20), nullable=False, default="cooperative")
    status = Column(String(10), nullable=False, default="active", index=True)
    school_id = Column(Integer, ForeignKey("occe_school.id"), nullable=False, index=True)
    sector_id = Column(Integer, ForeignKey("occe_sector.id"), index=True)
    mandataire_id = Column(Integer, ForeignKey("occe_person.id"), index=True)

    school = relationship("School", lazy="joined")
    sector = relationship("Sector", lazy="joined")
    mandataire = relationship("Person", lazy="joined")

    def __str__(self) -> str:
        return f"{self.affiliation_number} — {self.school.name}" if self.school else self.affiliation_number


class Classroom(Versioned, db.Model):
    """A class of a school for one school year; its cycles follow from its levels."""

    __tablename__ = "occe_classroom"
    # a school's classes of a year (the interventions' whole-team rule counts them)
    __table_args__ = (Index("ix_occe_classroom_school_year", "school_id", "school_year_id"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    school_id = Column(Integer, ForeignKey("occe_school.id"), nullable=False, index=True)
    teacher_id = Column(Integer, ForeignKey("occe_person.id"), index=True)
    name = Column(String(100), nullable=False, index=True)
    levels = Column(String(60), nullable=False)
    cycles = Column(String(10), nullable=False, index=True)
    pupils = Column(Integer, nullable=False, default=0, index=True)

    school_year = relationship("SchoolYear", lazy="joined")
    school = relationship("School", lazy="joined")
    teacher = relationship("Person", lazy="joined")

    def __str__(self) -> str:
        return f"{self.name} ({self.levels})"


class Membership(Versioned, db.Model):
    """A cooperative's yearly affiliation: its members are pupils plus adults."""

    __tablename__ = "occe_membership"
    __table_args__ = (UniqueConstraint("cooperative_id", "school_year_id", name="uq_occe_membership_year"),)

    id = Column(Integer, primary_key=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    pupils = Column(Integer, nullable=False, default=0)
    adults = Column(Integer, nullable=False, default=0)
    fee_per_member = Column(Numeric(6, 2), nullable=False, default=Decimal("2.05"))
    insurance = Column(Boolean, nullable=False, default=True)
    joined_on = Column(Date)
    validated_on = Column(Date)
    status = Column(String(12), nullable=False, default="en_attente")

    cooperative = relationship("Cooperative", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")

    @property
    def members(self) -> int:
        return (self.pupils or 0) + (self.adults or 0)

    @property
    def total_fee(self) -> Decimal:
        return (self.fee_per_member or Decimal(0)) * self.members

    def __str__(self) -> str:
        return f"{self.cooperative} — {self.school_year}"


class SupportContact(Versioned, db.Model):
    """One exchange with a cooperative (mail, phone, visit), and its follow-up."""

    __tablename__ = "occe_support_contact"

    id = Column(Integer, primary_key=True)
    contact_date = Column(Date, nullable=False, default=date.today)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    person_id = Column(Integer, ForeignKey("occe_person.id"), index=True)
    channel = Column(String(12), nullable=False, default="courriel")
    subject = Column(String(200), nullable=False)
    answer = Column(Text)
    staff_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    follow_up_on = Column(Date, index=True)
    follow_up_done = Column(Boolean, nullable=False, default=False)

    cooperative = relationship("Cooperative", lazy="joined")
    person = relationship("Person", lazy="joined")
    staff = relationship(User, lazy="joined")

    def __str__(self) -> str:
        return self.subject
