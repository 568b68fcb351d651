"""The year's actions in the activity report (order 20): classes and pupils retained and done,
per action, by cycle and by sector."""

from __future__ import annotations

from sqlalchemy import func, select

from app.actions.models import ACCEPTED, DONE, Action, Registration
from app.directory.models import Classroom, Cooperative, Sector
from app.directory.report import counted, number
from app.extensions import db
from app.plugins.info import ReportChart, ReportSection, ReportTable

ORDER = 20
#: Registrations that count as a class taking part: retained by the staff, or done.
TAKING_PART = (ACCEPTED, DONE)
NO_CLASS = "Sans classe"


def cycle_label(cycles: str | None) -> str:
    """A class's stored cycles (« 2 », « 1-2 ») as the report writes them (« Cycle 2 », « Cycles 1 et 2 »)."""
    if not cycles:
        return NO_CLASS
    parts = cycles.split("-")
    if len(parts) == 1:
        return f"Cycle {parts[0]}"
    return "Cycles " + ", ".join(parts[:-1]) + " et " + parts[-1]


def _pupils():
    """The registration's pupils count, else its class's."""
    return func.coalesce(Registration.pupils, Classroom.pupils, 0)


def actions_of(year) -> list[tuple[int, str]]:
    """``(id, name)`` of the year's actions, by name (the « Actions de l'année » list)."""
    return [(action_id, name) for action_id, name in db.session.execute(select(Action.id, Action.name).filter(Action.school_year_id == year.id).order_by(Action.name, Action.id))]


def status_counts(year) -> dict[tuple[int, str], int]:
    """``{(action id, status): registrations}``; one grouped query read from the (action, status) index."""
    actions = select(Action.id).filter(Action.school_year_id == year.id)
    rows = db.session.execute(
        select(Registration.action_id, Registration.status, func.count()).filter(Registration.action_id.in_(actions)).group_by(Registration.action_id, Registration.status)
    )
    return {(action_id, status): int(count) for action_id, status, count in rows}


def taking_part(year) -> list[tuple[int, str | None, int | None, int, int]]:
    """``(action id, class cycles, cooperative's sector id, classes, pupils)`` of the registrations retained
    or done: one grouped query over the year's registrations (a few thousand rows at most come back)."""
    rows = db.session.execute(
        select(Registration.action_id, Classroom.cycles, Cooperative.sector_id, func.count(), func.sum(_pupils()))
        .select_from(Registration)
        .join(Cooperative, Cooperative.id == Registration.cooperative_id)
        .outerjoin(Classroom, Classroom.id == Registration.classroom_id)
        # « + 0 »: half of the year's registrations are read, so one sequential scan beats the
        # (year, status) index's random reads (SQLite, 500,000 rows: 1.9 s instead of 4.7 s)
        .filter((Registration.school_year_id + 0) == year.id, Registration.status.in_(TAKING_PART))
        .group_by(Registration.action_id, Classroom.cycles, Cooperative.sector_id)
    )
    return [(action_id, cycles, sector_id, int(count), int(pupils or 0)) for action_id, cycles, sector_id, count, pupils in rows]


def per_action(actions, counts, groups) -> list[tuple[str, int, int, int, int]]:
    """``(action, registrations, classes retained, classes done, pupils)`` for every action of the year."""
    pupils: dict[int, int] = {}
    for action_id, _cycles, _sector, _classes, group_pupils in groups:
        pupils[action_id] = pupils.get(action_id, 0) + group_pupils
    result = []
    for action_id, name in actions:
        registrations = sum(count for (counted_id, _status), count in counts.items() if counted_id == action_id)
        result.append((name, registrations, counts.get((action_id, ACCEPTED), 0), counts.get((action_id, DONE), 0), pupils.get(action_id, 0)))
    return result


def per_action_and_cycle(actions, groups) -> dict[int, dict[str, tuple[int, int]]]:
    """``{action id: {cycle label: (classes, pupils)}}`` of the classes taking part."""
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for action_id, cycles, _sector, classes, pupils in groups:
        cells = result.setdefault(action_id, {})
        label = cycle_label(cycles)
        before = cells.get(label, (0, 0))
        cells[label] = (before[0] + classes, before[1] + pupils)
    return result


def per_sector(groups) -> list[tuple[str, int, int]]:
    """``(sector, classes taking part, pupils)``, the registering cooperative's sector, by name."""
    names = dict(db.session.execute(select(Sector.id, Sector.name)).all())
    totals: dict[str, tuple[int, int]] = {}
    for _action, _cycles, sector_id, classes, pupils in groups:
        name = names.get(sector_id, "Sans secteur") if sector_id is not None else "Sans secteur"
        before = totals.get(name, (0, 0))
        totals[name] = (before[0] + classes, before[1] + pupils)
    return [(name, classes, pupils) for name, (classes, pupils) in sorted(totals.items())]


def _cycle_order(label: str) -> tuple:
    return (label == NO_CLASS, label.startswith("Cycles"), label)


def report_sections(year) -> list[ReportSection]:
    """« Actions de l'année » for ``year``.

    The figures match the console's lists for ``year`` as the viewed year: the actions =
    « Actions de l'année »; registrations = « Inscriptions » filtered on the action (every
    status); classes retained / done = the same list filtered on status « Retenue » /
    « Réalisée »; pupils = the registrations' pupils (the class's when not given) of those
    two statuses. Cycles come from the class's levels (cycle 1 = PS/MS/GS, cycle 2 =
    CP/CE1/CE2, cycle 3 = CM1/CM2; a multi-level class spanning two cycles is written
    « Cycles 1 et 2 »); sectors are the registering cooperative's.
    """
    action_ids = actions_of(year)
    if not action_ids:
        return [ReportSection(title="Actions de l'année", order=ORDER, figures=(("Actions", "0"),), paragraphs=("Aucune action proposée cette année.",))]
    groups = taking_part(year)
    actions = per_action(action_ids, status_counts(year), groups)
    registrations = sum(row[1] for row in actions)
    accepted = sum(row[2] for row in actions)
    done = sum(row[3] for row in actions)
    pupils = sum(row[4] for row in actions)
    classes = accepted + done
    cycles = per_action_and_cycle(action_ids, groups)
    sectors = per_sector(groups)
    paragraphs = [
        f"{counted(len(actions), 'action proposée', 'actions proposées')}, {counted(registrations, 'inscription')} ; "
        f"{counted(classes, 'classe retenue', 'classes retenues')} (dont {counted(done, 'réalisée')}), {counted(pupils, 'élève')}."
    ]
    for name, count, acc, don, pup in actions:
        if acc + don:
            paragraphs.append(f"{name} : {counted(acc + don, 'classe')}, {counted(pup, 'élève')}.")
        else:
            paragraphs.append(f"{name} : {counted(count, 'inscription')}, aucune classe retenue.")
    labels = sorted({label for cells in cycles.values() for label in cells}, key=_cycle_order)
    tables = [
        ReportTable(
            columns=("Action", "Inscriptions", "Classes retenues", "Classes réalisées", "Élèves"),
            rows=tuple(actions),
            title="Classes et élèves par action",
            total=("Total", registrations, accepted, done, pupils),
        )
    ]
    if labels:
        tables.append(
            ReportTable(
                columns=("Action", *(f"{label} (classes / élèves)" for label in labels)),
                rows=tuple(
                    (name, *(f"{number(cycles[action_id].get(label, (0, 0))[0])} / {number(cycles[action_id].get(label, (0, 0))[1])}" for label in labels))
                    for action_id, name in action_ids
                    if action_id in cycles
                ),
                title="Classes et élèves par cycle",
                total=(
                    "Total",
                    *(
                        f"{number(sum(cells.get(label, (0, 0))[0] for cells in cycles.values()))} / {number(sum(cells.get(label, (0, 0))[1] for cells in cycles.values()))}"
                        for label in labels
                    ),
                ),
            )
        )
    if sectors:
        tables.append(
            ReportTable(
                columns=("Secteur", "Classes", "Élèves"),
                rows=tuple(sectors),
                title="Classes et élèves par secteur",
                total=("Total", classes, pupils),
            )
        )
    return [
        ReportSection(
            title="Actions de l'année",
            order=ORDER,
            figures=(
                ("Actions", number(len(actions))),
                ("Inscriptions", number(registrations)),
                ("Classes retenues", number(classes)),
                ("Élèves", number(pupils)),
            ),
            paragraphs=tuple(paragraphs),
            tables=tuple(tables),
            charts=(ReportChart(title="Classes par action", labels=tuple(row[0] for row in actions), values=tuple(float(row[2] + row[3]) for row in actions)),),
        )
    ]
