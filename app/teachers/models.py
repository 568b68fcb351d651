"""One personal link per cooperative and school year, for the teachers to answer the proposals online.

Only a hash of the link's secret part is stored; the secret part itself is
derived from the application's ``SECRET_KEY`` and the row's ``nonce`` (see
``service.py``), so the staff can copy the link again and the mailing can
write it, while a copy of the database alone opens nothing.
"""

from __future__ import annotations

from datetime import date

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import relationship

from app.actions.models import utcnow
from app.extensions import db

ACTIVE = "actif"
EXPIRED = "expire"
REVOKED = "revoque"
STATUSES = {ACTIVE: "Actif", EXPIRED: "Expiré", REVOKED: "Révoqué"}


class TeacherLink(db.Model):
    """The link of one cooperative for one school year (re-issued in place after a revocation)."""

    __tablename__ = "occe_teacher_link"
    __table_args__ = (UniqueConstraint("cooperative_id", "school_year_id", name="uq_occe_teacher_link_coop_year"),)

    id = Column(Integer, primary_key=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    nonce = Column(String(32), nullable=False)
    token_hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_on = Column(Date, nullable=False)
    revoked_at = Column(DateTime)
    revoked_by_id = Column(Integer, ForeignKey("ab_user.id"))
    last_used_at = Column(DateTime)

    cooperative = relationship("Cooperative", lazy="joined")
    school_year = relationship("SchoolYear", lazy="joined")
    revoked_by = relationship(User, lazy="joined")

    def status_on(self, today: date | None = None) -> str:
        if self.revoked_at is not None:
            return REVOKED
        if self.expires_on < (today or date.today()):
            return EXPIRED
        return ACTIVE

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def school_name(self) -> str:
        school = self.cooperative.school if self.cooperative is not None else None
        return str(school) if school is not None else ""

    def __str__(self) -> str:
        return f"Lien {self.cooperative.affiliation_number if self.cooperative else '?'} ({self.school_year.label if self.school_year else '?'})"
