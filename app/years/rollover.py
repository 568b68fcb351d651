"""The year rollover: open the next school year from the one ending.

What carries over: the plugin switches that were on (unless someone already
set the new year's switch), the actions marked « reconduite » (same code,
dates moved one year on), and, when asked, the classes (same school, name,
levels, teacher and pupils, for the staff to correct). Last year's
registrations stay where they are, readable through the year chooser.
Running it twice changes nothing: everything is looked up before it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.plugins.models import PluginActivation
from app.years.models import SchoolYear
from app.years.service import get_or_create_year, get_year


def next_label(label: str) -> str:
    first = int(label[:4])
    return f"{first + 1}-{first + 2}"


def one_year_later(day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@dataclass
class RolloverPlan:
    """What opening the year after ``previous`` would do (nothing is written to build it)."""

    previous: SchoolYear
    label: str
    year_exists: bool
    switches: list[str] = field(default_factory=list)
    actions: list = field(default_factory=list)
    classes: list = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return self.year_exists and not (self.switches or self.actions or self.classes)


def plan_rollover(previous: SchoolYear, *, roll_classes: bool = False) -> RolloverPlan:
    from app.actions.models import Action
    from app.directory.models import Classroom
    from app.plugins.switches import current_manager

    label = next_label(previous.label)
    target = get_year(label)
    plan = RolloverPlan(previous=previous, label=label, year_exists=target is not None)
    already_set = set()
    existing_actions = set()
    existing_classes = set()
    if target is not None:
        already_set = set(db.session.execute(select(PluginActivation.plugin_code).filter_by(school_year_id=target.id)).scalars())
        existing_actions = set(db.session.execute(select(Action.code).filter_by(school_year_id=target.id)).scalars())
        existing_classes = set(db.session.execute(select(Classroom.school_id, Classroom.name).filter_by(school_year_id=target.id)).all())
    manager = current_manager()
    on_before = db.session.execute(select(PluginActivation.plugin_code).filter_by(school_year_id=previous.id, enabled=True)).scalars()
    plan.switches = sorted(code for code in on_before if code not in already_set and manager.get(code) is not None and manager.get(code).ok)
    plan.actions = [
        action
        for action in db.session.execute(select(Action).filter_by(school_year_id=previous.id, repeat_next_year=True).order_by(Action.name)).scalars()
        if action.code not in existing_actions
    ]
    if roll_classes:
        plan.classes = [
            classroom
            for classroom in db.session.execute(select(Classroom).filter_by(school_year_id=previous.id).order_by(Classroom.id)).scalars()
            if (classroom.school_id, classroom.name) not in existing_classes
        ]
    return plan


@dataclass(frozen=True)
class RolloverReport:
    year: SchoolYear
    created: bool
    switches: tuple[str, ...]
    actions: tuple[str, ...]
    classes: int


def open_next_year(previous: SchoolYear, *, roll_classes: bool = False, user_id: int | None = None) -> RolloverReport:
    """Apply :func:`plan_rollover` and tell the plugins on for the new year (``occe_year_opened``)."""
    from app.actions.catalogue import ensure_action
    from app.directory.models import Classroom
    from app.plugins.switches import current_manager, plugins_on, set_switch

    plan = plan_rollover(previous, roll_classes=roll_classes)
    year = get_or_create_year(plan.label)
    for action in plan.actions:
        ensure_action(
            year,
            action.code,
            action.name,
            plugin_code=action.plugin_code,
            description=action.description,
            audience=action.audience,
            opens_on=one_year_later(action.opens_on),
            closes_on=one_year_later(action.closes_on),
            capacity=action.capacity,
            minimum=action.minimum,
            quantity_label=action.quantity_label,
            asks_motivation=action.asks_motivation,
            in_proposals=action.in_proposals,
            repeat_next_year=action.repeat_next_year,
        )
    for classroom in plan.classes:
        db.session.add(
            Classroom(
                school_year_id=year.id,
                school_id=classroom.school_id,
                teacher_id=classroom.teacher_id,
                name=classroom.name,
                levels=classroom.levels,
                cycles=classroom.cycles,
                pupils=classroom.pupils,
            )
        )
    db.session.commit()
    manager = current_manager()
    for code in plan.switches:  # commits, then calls occe_plugin_switched
        set_switch(manager, manager.get(code), year, True, user_id=user_id)
    if not plan.nothing_to_do:
        for plugin in plugins_on(manager, year):
            manager.call_one(plugin, "occe_year_opened", year=year, previous=previous)
        db.session.commit()
    return RolloverReport(
        year=year,
        created=not plan.year_exists,
        switches=tuple(plan.switches),
        actions=tuple(action.name for action in plan.actions),
        classes=len(plan.classes),
    )
