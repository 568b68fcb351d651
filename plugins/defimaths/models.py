"""The tables of DéfiMaths (every table name starts with ``defimaths_``).

The classes taking part are the core's ``Registration`` rows on the year's
``Action`` (``plugin_code = "defimaths"``); this plugin adds the edition
(theme, resource dossier), its three rounds, the problems of each cycle with
their author department, and each class's answers and points.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.extensions import db

#: Who writes the problems of each cycle (the three Picardy departments).
DEPARTMENTS = {"Somme": "Somme", "Oise": "Oise", "Aisne": "Aisne"}
DEFAULT_DEPARTMENT = {1: "Somme", 2: "Oise", 3: "Aisne"}
CYCLES = {1: "Cycle 1", 2: "Cycle 2", 3: "Cycle 3"}


class DefimathsEdition(db.Model):
    """One DéfiMaths per school year: its theme, its resource dossier and the core action classes join."""

    __tablename__ = "defimaths_edition"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, unique=True)
    action_id = Column(Integer, ForeignKey("occe_action.id"), nullable=False, unique=True)
    theme = Column(String(200))
    resource_url = Column(String(300))

    school_year = relationship("SchoolYear", lazy="joined")
    action = relationship("Action", lazy="joined")

    def __str__(self) -> str:
        label = self.school_year.label if self.school_year else ""
        return f"DéfiMaths {label}" + (f" — {self.theme}" if self.theme else "")


class DefimathsRound(db.Model):
    """A round (manche) of an edition: number 1 to 3, sent on, answers due."""

    __tablename__ = "defimaths_round"
    __table_args__ = (UniqueConstraint("edition_id", "number", name="uq_defimaths_round_number"),)

    id = Column(Integer, primary_key=True)
    edition_id = Column(Integer, ForeignKey("defimaths_edition.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    sent_on = Column(Date)
    answers_due = Column(Date)

    edition = relationship("DefimathsEdition", lazy="joined")

    def __str__(self) -> str:
        return f"Manche {self.number}"


class DefimathsProblem(db.Model):
    """A problem (épreuve) of a round for one cycle, written by one department."""

    __tablename__ = "defimaths_problem"
    __table_args__ = (UniqueConstraint("round_id", "cycle", "number", name="uq_defimaths_problem_number"),)

    id = Column(Integer, primary_key=True)
    round_id = Column(Integer, ForeignKey("defimaths_round.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    cycle = Column(Integer, nullable=False)
    number = Column(Integer, nullable=False, default=1)
    title = Column(String(200), nullable=False)
    statement = Column(Text)
    author_department = Column(String(10), nullable=False)
    max_points = Column(Integer, nullable=False, default=10)

    round = relationship("DefimathsRound", lazy="joined")

    def __str__(self) -> str:
        number = self.round.number if self.round else "?"
        return f"M{number} · cycle {self.cycle} · épreuve {self.number} : {self.title}"


class DefimathsAnswer(db.Model):
    """A class's answer to one problem and the points it earned."""

    __tablename__ = "defimaths_answer"
    __table_args__ = (UniqueConstraint("registration_id", "problem_id", name="uq_defimaths_answer"),)

    id = Column(Integer, primary_key=True)
    registration_id = Column(Integer, ForeignKey("occe_registration.id"), nullable=False, index=True)
    problem_id = Column(Integer, ForeignKey("defimaths_problem.id"), nullable=False, index=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    answer = Column(Text)
    points = Column(Integer, nullable=False, default=0)

    registration = relationship("Registration", lazy="joined")
    problem = relationship("DefimathsProblem", lazy="joined")
