"""The rotation of a museum day: every class goes through every workshop in turn, never two at once.

A pure module (no database, no Flask), tested for every size up to 8 classes × 8 workshops.

The schedule is a cyclic Latin square. With ``S = max(C, W)`` stations (the W
workshops, plus ``C - W`` « Pause / pique-nique » stations when there are more
classes than workshops), the day has S slots and class ``i`` is, at slot ``t``,
at station ``(i + t) mod S``. For a fixed slot, ``i ↦ (i + t) mod S`` is
injective, so no station ever holds two classes; for a fixed class,
``t ↦ (i + t) mod S`` runs through every station once, so each class visits
each workshop exactly once (and rests exactly ``S - W`` times).

- C > W: more slots than workshops; in each slot ``C - W`` classes rest
  (picnic, playground) at a pause station, shown as workshop ``None``.
- C < W: still W slots, so that every class visits every workshop; in each
  slot ``W - C`` workshops stay idle (their leader prepares or helps).
- C = W: a plain Latin square, nobody rests, no workshop idle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

PAUSE_LABEL = "Pause / pique-nique"


@dataclass(frozen=True)
class Slot:
    """Class ``klass`` is at ``workshop`` (``None``: a pause) during slot ``index`` (0-based)."""

    index: int
    klass: Any
    workshop: Any | None

    @property
    def is_pause(self) -> bool:
        return self.workshop is None


def slot_count(classes: int, workshops: int) -> int:
    """How many slots the day needs: max(classes, workshops), 0 when either is empty."""
    return max(classes, workshops) if classes and workshops else 0


def rotation(classes: Sequence[Any], workshops: Sequence[Any]) -> list[Slot]:
    """Every (slot, class, workshop) of the day, slot by slot then in class order (see the module's docstring).

    Empty ``classes`` or ``workshops`` give an empty list.
    """
    classes, workshops = list(classes), list(workshops)
    stations = slot_count(len(classes), len(workshops))
    slots = []
    for index in range(stations):
        for position, klass in enumerate(classes):
            station = (position + index) % stations
            slots.append(Slot(index, klass, workshops[station] if station < len(workshops) else None))
    return slots


def slot_times(
    starts_at: time, slot_minutes: int, count: int, *, lunch_after_slot: int | None = None, lunch_minutes: int = 0
) -> list[tuple[time, time]]:
    """The (start, end) of ``count`` slots from ``starts_at``, with a lunch break after slot ``lunch_after_slot`` (1-based)."""
    if slot_minutes < 1:
        raise ValueError("Un créneau dure au moins une minute.")
    current = datetime.combine(date(2000, 1, 1), starts_at)
    times = []
    for index in range(count):
        end = current + timedelta(minutes=slot_minutes)
        times.append((current.time(), end.time()))
        current = end
        if lunch_after_slot and index + 1 == lunch_after_slot and index + 1 < count:
            current += timedelta(minutes=lunch_minutes)
    return times


def time_label(span: tuple[time, time]) -> str:
    """(9:30, 10:10) → « 9 h 30 – 10 h 10 »."""
    return " – ".join(f"{moment.hour} h {moment.minute:02d}" for moment in span)
