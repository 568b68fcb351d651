"""The tables of Action modèle (every table name starts with ``good_action_``)."""

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import relationship

from app.extensions import db


class GoodActionParticipation(db.Model):
    """A class taking part in Action modèle for one school year (pupils are counts, never names)."""

    __tablename__ = "good_action_participation"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    school_name = Column(String(200), nullable=False)
    class_name = Column(String(100), nullable=False)
    pupils = Column(Integer, nullable=True)
    comment = Column(Text, nullable=True)
    created_on = Column(DateTime, nullable=False, server_default=func.now())

    school_year = relationship("SchoolYear")

    def __str__(self) -> str:
        return f"{self.school_name} — {self.class_name}"
