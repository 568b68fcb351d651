"""Attendance and quorum, decision numbering and follow-up, the dashboard's figures."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.association.models import PRESENCES, QUORUM_PRESENCES, BoardMember, Decision, Meeting, MeetingAttendee
from app.extensions import db

#: Share of the active board members, present or represented, for the board to deliberate.
DEFAULT_QUORUM = 0.5


class AssociationRefused(ValueError):
    """A change the rules refuse, with a French reason."""


def quorum_share() -> float:
    return float(current_app.config.get("OCCE_BOARD_QUORUM", DEFAULT_QUORUM))


@dataclass(frozen=True)
class Quorum:
    counted: int  # present or represented board members
    members: int  # active board members
    needed: int

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.counted >= self.needed


def active_members() -> list[BoardMember]:
    return list(db.session.execute(select(BoardMember).filter(BoardMember.active.is_(True)).order_by(BoardMember.last_name, BoardMember.first_name)).scalars())


def quorum(meeting: Meeting) -> Quorum:
    """Present + represented board members over the active board members (guests do not count)."""
    members = db.session.execute(select(func.count(BoardMember.id)).filter(BoardMember.active.is_(True))).scalar_one()
    counted = db.session.execute(
        select(func.count(MeetingAttendee.id)).filter(
            MeetingAttendee.meeting_id == meeting.id, MeetingAttendee.board_member_id.is_not(None), MeetingAttendee.presence.in_(QUORUM_PRESENCES)
        )
    ).scalar_one()
    needed = max(1, math.ceil(members * quorum_share() - 1e-9)) if members else 0
    return Quorum(counted=counted, members=members, needed=needed)


def attendance_members(meeting: Meeting) -> list[tuple[BoardMember, str]]:
    """The rows of the attendance form: every active member, and the former ones recorded at this meeting, with their presence ("" when not recorded)."""
    recorded = {attendee.board_member_id: attendee.presence for attendee in meeting.attendees if attendee.board_member_id is not None}
    query = select(BoardMember).filter(or_(BoardMember.active.is_(True), BoardMember.id.in_(list(recorded) or [0])))
    members = db.session.execute(query.order_by(BoardMember.last_name, BoardMember.first_name)).scalars()
    return [(member, recorded.get(member.id, "")) for member in members]


def guests(meeting: Meeting) -> list[MeetingAttendee]:
    return [attendee for attendee in meeting.attendees if attendee.board_member_id is None]


def save_attendance(meeting: Meeting, members: dict[int, str], free: list[tuple[str, str]]) -> None:
    """Record the whole attendance of ``meeting`` at once.

    ``members`` maps a board member's id to a presence code ("" removes the
    record); ``free`` lists (name, presence) of the other attendees, which
    replace the previous ones. Nothing is saved if one line is wrong.
    """
    problems = []
    known = {member.id for member, _presence in attendance_members(meeting)}
    for member_id, presence in members.items():
        if member_id not in known:
            problems.append(_("Membre du conseil inconnu (n° %(id)s).", id=member_id))
        elif presence and presence not in PRESENCES:
            problems.append(_("Présence inconnue « %(value)s ».", value=presence))
    for name, presence in free:
        if not name.strip():
            continue
        if len(name.strip()) > 200:
            problems.append(_("Nom trop long (200 caractères au plus) : « %(name)s… ».", name=name.strip()[:40]))
        if presence not in PRESENCES:
            problems.append(_("Choisissez la présence de « %(name)s ».", name=name.strip()))
    if problems:
        raise AssociationRefused(" ".join(problems))
    by_member = {attendee.board_member_id: attendee for attendee in meeting.attendees if attendee.board_member_id is not None}
    for member_id, presence in members.items():
        attendee = by_member.get(member_id)
        if not presence:
            if attendee is not None:
                meeting.attendees.remove(attendee)
        elif attendee is None:
            meeting.attendees.append(MeetingAttendee(board_member_id=member_id, presence=presence))
        else:
            attendee.presence = presence
    for attendee in guests(meeting):
        meeting.attendees.remove(attendee)
    for name, presence in free:
        if name.strip():
            meeting.attendees.append(MeetingAttendee(name=name.strip(), presence=presence))
    db.session.commit()


def member_has_history(member: BoardMember) -> bool:
    from app.association.models import WorkingGroupMember

    for model in (MeetingAttendee, WorkingGroupMember):
        if db.session.execute(select(model.id).filter(model.board_member_id == member.id).limit(1)).first() is not None:
            return True
    return False


def group_has_meetings(group) -> bool:
    return db.session.execute(select(Meeting.id).filter(Meeting.working_group_id == group.id).limit(1)).first() is not None


def next_decision_number(meeting_id: int) -> int:
    highest = db.session.execute(select(func.max(Decision.number)).filter(Decision.meeting_id == meeting_id)).scalar_one()
    return (highest or 0) + 1


def mark_done(decision: Decision, on: date | None = None) -> None:
    if decision.done_on is not None:
        raise AssociationRefused(_("La décision n° %(number)s est déjà réalisée (le %(day)s).", number=decision.number, day=f"{decision.done_on:%d/%m/%Y}"))
    decision.done_on = on or date.today()
    decision.version = (decision.version or 0) + 1
    db.session.commit()


def open_decisions_count() -> int:
    return db.session.execute(select(func.count(Decision.id)).filter(Decision.done_on.is_(None))).scalar_one()


def next_meeting(now: datetime | None = None) -> Meeting | None:
    query = select(Meeting).filter(Meeting.starts_at >= (now or datetime.now())).order_by(Meeting.starts_at).limit(1)
    return db.session.execute(query).scalars().first()


__all__ = [
    "AssociationRefused", "Quorum", "active_members", "attendance_members", "group_has_meetings", "guests", "mark_done", "member_has_history",
    "next_decision_number", "next_meeting", "open_decisions_count", "quorum", "save_attendance",
]  # fmt: skip
