"""Associative life: the board, meetings (CA, commissions, AG...), attendance, decisions, working groups, partners.

The activity plan's bodies: a *conseil d'administration* each school term,
two or three commissions a year, regional meetings, the departmental general
assembly and the two federal ones. Minutes are uploaded documents
(``app.uploads``); decisions are numbered per meeting and followed up until done.
Partners (museums, artists' companies, publishers, institutions) carry their
contacts and the advantages they give member classes; the next issue ties
external partners' user accounts to :class:`Partner` for a row-scoped role.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.directory.models import Person
from app.extensions import db
from app.uploads.models import StoredFile
from app.years.models import SchoolYear

# --- fixed lists: code -> French label --------------------------------------------------------

FUNCTIONS = {
    "president": "Président·e",
    "vice_president": "Vice-président·e",
    "tresorier": "Trésorier·ère",
    "tresorier_adjoint": "Trésorier·ère adjoint·e",
    "secretaire": "Secrétaire",
    "secretaire_adjoint": "Secrétaire adjoint·e",
    "membre": "Membre",
}

BOARD = "ca"
COMMISSION = "commission"
AG_DEPARTMENTAL = "ag_departementale"
AG_FEDERAL = "ag_federale"
REGIONAL = "rencontre_regionale"
OTHER = "autre"
MEETING_KINDS = {
    BOARD: "Conseil d'administration",
    COMMISSION: "Commission",
    AG_DEPARTMENTAL: "Assemblée générale départementale",
    AG_FEDERAL: "Assemblée générale fédérale",
    REGIONAL: "Rencontre régionale",
    OTHER: "Autre",
}

PRESENT = "present"
EXCUSED = "excuse"
ABSENT = "absent"
REPRESENTED = "represente"
PRESENCES = {PRESENT: "Présent·e", EXCUSED: "Excusé·e", ABSENT: "Absent·e", REPRESENTED: "Représenté·e"}
#: Presences counted for the quorum.
QUORUM_PRESENCES = (PRESENT, REPRESENTED)

PARTNER_KINDS = {
    "musee": "Musée",
    "compagnie": "Compagnie artistique",
    "editeur": "Éditeur",
    "institution": "Institution",
    "association": "Association",
    "collectivite": "Collectivité",
    "autre": "Autre",
}


class BoardMember(Versioned, db.Model):
    """A member of the board (conseil d'administration), elected by the general assembly."""

    __tablename__ = "occe_board_member"

    id = Column(Integer, primary_key=True)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False, index=True)
    email = Column(String(200))
    phone = Column(String(20))
    function = Column(String(20), nullable=False, default="membre")
    elected_on = Column(Date)
    term_ends_on = Column(Date)
    active = Column(Boolean, nullable=False, default=True)
    person_id = Column(Integer, ForeignKey("occe_person.id"), index=True)

    person = relationship(Person, lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def function_label(self) -> str:
        return FUNCTIONS.get(self.function, self.function)

    def __str__(self) -> str:
        return self.full_name


class WorkingGroup(Versioned, db.Model):
    """A working group or commission; a group without a school year is permanent."""

    __tablename__ = "occe_working_group"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    purpose = Column(Text)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), index=True)
    active = Column(Boolean, nullable=False, default=True)

    school_year = relationship(SchoolYear, lazy="joined")
    members = relationship("WorkingGroupMember", back_populates="working_group", cascade="all, delete-orphan", order_by="WorkingGroupMember.id")

    def __str__(self) -> str:
        return self.name


class WorkingGroupMember(db.Model):
    """A board member, or a free name (a teacher, a federal colleague), in a working group."""

    __tablename__ = "occe_working_group_member"
    __table_args__ = (UniqueConstraint("working_group_id", "board_member_id", name="uq_occe_working_group_member"),)

    id = Column(Integer, primary_key=True)
    working_group_id = Column(Integer, ForeignKey("occe_working_group.id"), nullable=False, index=True)
    board_member_id = Column(Integer, ForeignKey("occe_board_member.id"), index=True)
    name = Column(String(200))
    role = Column(String(100))

    working_group = relationship("WorkingGroup", back_populates="members")
    board_member = relationship("BoardMember", lazy="joined")

    @property
    def display_name(self) -> str:
        return self.board_member.full_name if self.board_member is not None else (self.name or "")

    def __str__(self) -> str:
        return self.display_name


class Meeting(Versioned, db.Model):
    """A meeting of one of the association's bodies, in a school year."""

    __tablename__ = "occe_meeting"
    __table_args__ = (Index("ix_occe_meeting_year_starts", "school_year_id", "starts_at"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False)
    kind = Column(String(20), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    starts_at = Column(DateTime, nullable=False, index=True)
    place = Column(String(200))
    agenda = Column(Text)
    minutes_file_id = Column(Integer, ForeignKey("occe_stored_file.id"), index=True)
    minutes_approved_on = Column(Date)
    working_group_id = Column(Integer, ForeignKey("occe_working_group.id"), index=True)

    school_year = relationship(SchoolYear, lazy="joined")
    working_group = relationship("WorkingGroup", lazy="joined")
    minutes_file = relationship(StoredFile, lazy="joined")
    attendees = relationship("MeetingAttendee", back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id")
    decisions = relationship("Decision", back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.number")

    @property
    def kind_label(self) -> str:
        return MEETING_KINDS.get(self.kind, self.kind)

    @property
    def minutes_link(self) -> Meeting:
        """The meeting itself, for the list column that links to its minutes (the formatter needs the row)."""
        return self

    def __str__(self) -> str:
        when = self.starts_at.strftime("%d/%m/%Y") if self.starts_at else ""
        return f"{self.title} ({when})"


class MeetingAttendee(db.Model):
    """Who attended a meeting: a board member, or a free name (a guest, a staff member)."""

    __tablename__ = "occe_meeting_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "board_member_id", name="uq_occe_meeting_attendee_member"),)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(Integer, ForeignKey("occe_meeting.id"), nullable=False, index=True)
    board_member_id = Column(Integer, ForeignKey("occe_board_member.id"), index=True)
    name = Column(String(200))
    presence = Column(String(12), nullable=False, default=PRESENT)

    meeting = relationship("Meeting", back_populates="attendees")
    board_member = relationship("BoardMember", lazy="joined")

    @property
    def display_name(self) -> str:
        return self.board_member.full_name if self.board_member is not None else (self.name or "")

    @property
    def presence_label(self) -> str:
        return PRESENCES.get(self.presence, self.presence)

    def __str__(self) -> str:
        return self.display_name


class Decision(Versioned, db.Model):
    """A decision taken at a meeting (numbered per meeting), followed up until done."""

    __tablename__ = "occe_decision"
    __table_args__ = (UniqueConstraint("meeting_id", "number", name="uq_occe_decision_number"),)

    id = Column(Integer, primary_key=True)
    meeting_id = Column(Integer, ForeignKey("occe_meeting.id"), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)
    votes_for = Column(Integer)
    votes_against = Column(Integer)
    votes_abstention = Column(Integer)
    owner = Column(String(200))
    due_on = Column(Date)
    done_on = Column(Date, index=True)

    meeting = relationship("Meeting", back_populates="decisions", lazy="joined")

    @property
    def reference(self) -> str:
        return f"{self.meeting.starts_at:%Y-%m-%d}/{self.number}" if self.meeting is not None and self.meeting.starts_at else str(self.number)

    def __str__(self) -> str:
        return f"n° {self.number} — {(self.text or '')[:60]}"


class Partner(Versioned, db.Model):
    """An organisation the association works with: museum, artists' company, publisher, institution..."""

    __tablename__ = "occe_partner"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    kind = Column(String(20), nullable=False, default="autre", index=True)
    address = Column(Text)
    website = Column(String(300))
    notes = Column(Text)
    active = Column(Boolean, nullable=False, default=True)

    contacts = relationship("PartnerContact", back_populates="partner", cascade="all, delete-orphan", order_by="PartnerContact.last_name")
    advantages = relationship("PartnerAdvantage", back_populates="partner", cascade="all, delete-orphan", order_by="PartnerAdvantage.id")

    @property
    def kind_label(self) -> str:
        return PARTNER_KINDS.get(self.kind, self.kind)

    def __str__(self) -> str:
        return self.name


class PartnerContact(Versioned, db.Model):
    __tablename__ = "occe_partner_contact"

    id = Column(Integer, primary_key=True)
    partner_id = Column(Integer, ForeignKey("occe_partner.id"), nullable=False, index=True)
    first_name = Column(String(100))
    last_name = Column(String(100), nullable=False)
    function = Column(String(150))
    email = Column(String(200))
    phone = Column(String(20))

    partner = relationship("Partner", back_populates="contacts", lazy="joined")

    def __str__(self) -> str:
        return f"{self.first_name or ''} {self.last_name}".strip()


class PartnerAdvantage(Versioned, db.Model):
    """What a partner offers member classes (« Entrée gratuite pour les classes adhérentes »)."""

    __tablename__ = "occe_partner_advantage"

    id = Column(Integer, primary_key=True)
    partner_id = Column(Integer, ForeignKey("occe_partner.id"), nullable=False, index=True)
    description = Column(String(300), nullable=False)
    valid_from = Column(Date)
    valid_until = Column(Date)

    partner = relationship("Partner", back_populates="advantages", lazy="joined")

    def __str__(self) -> str:
        return self.description
