"""Demonstration rows of the partners' core: nothing plugin-specific, one clash for the artists' planning.

The THEA 02 and Bals en liance 02 plugins create their actions, partners and
sessions; :func:`add_demo_clash` then adds one session overlapping another of
the same artist, so that « Planning des artistes » shows what a clash looks
like. Deterministic and idempotent: nothing is added when a clash exists
already or when no partner-led session exists (the plugins' demo may run
after this one: they can call it at the end of theirs).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.actions.models import ACCEPTED, DONE, Registration
from app.extensions import db
from app.partners.models import CANCELLED, PLANNED, PartnerSession
from app.partners.schedule import clashes

DEMO_REPORT = "Séance de démonstration : elle chevauche volontairement une autre séance de la même artiste."


def add_demo_clash(year) -> PartnerSession | None:
    """Add (once) a session overlapping the year's first partner session that has another retained class; None if nothing to do."""
    if year is None:
        return None
    sessions = list(
        db.session.execute(
            select(PartnerSession).where(PartnerSession.school_year_id == year.id, PartnerSession.status != CANCELLED).order_by(PartnerSession.starts_at, PartnerSession.id)
        ).unique().scalars()
    )
    if not sessions or clashes(sessions):
        return None
    for session in sessions:
        other = db.session.execute(
            select(Registration)
            .where(Registration.action_id == session.action_id, Registration.status.in_((ACCEPTED, DONE)), Registration.id != session.registration_id)
            .order_by(Registration.id)
        ).unique().scalars().first()
        if other is None:
            continue
        clash = PartnerSession(
            school_year_id=session.school_year_id,
            partner_id=session.partner_id,
            action_id=session.action_id,
            registration_id=other.id,
            artist=session.artist,
            starts_at=session.starts_at + timedelta(seconds=int(session.hours * 1800)),  # halfway through the other
            hours=session.hours,
            status=PLANNED,
            report=DEMO_REPORT,
        )
        db.session.add(clash)
        db.session.flush()
        return clash
    return None
