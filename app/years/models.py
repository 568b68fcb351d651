"""School years: 1 September to 31 August, labelled "2025-2026"."""

from sqlalchemy import Boolean, Column, Date, Integer, String

from app.extensions import db


class SchoolYear(db.Model):
    __tablename__ = "occe_school_year"

    id = Column(Integer, primary_key=True)
    label = Column(String(9), unique=True, nullable=False)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=False)
    is_current = Column(Boolean, nullable=False, default=False)

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"<SchoolYear {self.label}>"
