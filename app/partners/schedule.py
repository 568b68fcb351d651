"""The artists' schedule: each artist's sessions in date order, and the ones that overlap (pure, no Flask).

Partner-led action plugins (THEA 02, Bals en liance 02...) share it::

    from app.partners.schedule import artist_schedule, clashes

    for artist, rows in artist_schedule(sessions).items():   # "Léa Martin": [ScheduledSession, ...]
        for row in rows:
            row.session, row.ends_at, row.clashes_with          # ids of the same artist's overlapping sessions

    clashes(sessions)   # [(earlier, later), ...] each overlapping pair once

An artist is recognised whatever the case, the spaces and the accents
(« Léa  MARTIN » is « lea martin »), and displayed as first typed. Two
sessions of one artist clash when ``[starts_at, starts_at + hours)``
overlap: a session ending at 10:00 and the next starting at 10:00 do not
clash. A cancelled session never clashes. Any object with ``id``,
``artist``, ``starts_at``, ``hours`` and ``status`` will do.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from app.partners.models import CANCELLED


@dataclass
class ScheduledSession:
    session: object
    ends_at: datetime
    #: ids of the same artist's sessions overlapping this one
    clashes_with: list[int] = field(default_factory=list)


def artist_key(name: str | None) -> str:
    """The artist's name compared case-, space- and accent-insensitively."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def ends_at(session) -> datetime:
    hours = Decimal(str(session.hours if session.hours is not None else 0))
    return session.starts_at + timedelta(seconds=int(hours * 3600))


def _order(session) -> tuple:
    return (session.starts_at, session.id if session.id is not None else 0)


def _overlapping(rows: list[ScheduledSession]) -> list[tuple[ScheduledSession, ScheduledSession]]:
    """The overlapping pairs of one artist's rows, sorted by start (cancelled rows left out)."""
    live = [row for row in rows if row.session.status != CANCELLED]
    pairs = []
    for index, row in enumerate(live):
        for later in live[index + 1 :]:
            if later.session.starts_at >= row.ends_at:
                break  # sorted by start: no later row can overlap this one
            pairs.append((row, later))
    return pairs


def _grouped(sessions: Iterable) -> dict[str, tuple[str, list[ScheduledSession]]]:
    groups: dict[str, tuple[str, list[ScheduledSession]]] = {}
    for session in sorted(sessions, key=_order):
        key = artist_key(session.artist)
        groups.setdefault(key, ((session.artist or "").strip(), []))[1].append(ScheduledSession(session=session, ends_at=ends_at(session)))
    return groups


def artist_schedule(sessions: Iterable) -> dict[str, list[ScheduledSession]]:
    """Sessions grouped by artist (artists in alphabetical order), each artist's sessions by start, clashes marked."""
    result: dict[str, list[ScheduledSession]] = {}
    groups = _grouped(sessions)
    for key in sorted(groups):
        display, rows = groups[key]
        for first, second in _overlapping(rows):
            first.clashes_with.append(second.session.id)
            second.clashes_with.append(first.session.id)
        result[display] = rows
    return result


def clashes(sessions: Iterable) -> list[tuple]:
    """Every pair of one artist's overlapping sessions, once, the earlier first, in date order."""
    pairs = []
    for _display, rows in _grouped(sessions).values():
        pairs.extend((first.session, second.session) for first, second in _overlapping(rows))
    return sorted(pairs, key=lambda pair: (_order(pair[0]), _order(pair[1])))
