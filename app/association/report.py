"""The association's life in the year's activity report (order 80): meetings, decisions, board."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app.association.models import MEETING_KINDS, BoardMember, Decision, Meeting
from app.directory.report import counted, number
from app.extensions import db
from app.plugins.info import ReportSection, ReportTable

ORDER = 80


def meetings_by_kind(year, now: datetime) -> list[tuple[str, int, str]]:
    """``(kind label, meetings held, their dates)`` of the year's meetings already held.

    One grouped count; the dates come from one query over the held meetings (a few dozen a
    year: the association's own meetings, not the cooperatives' data).
    """
    rows = db.session.execute(
        select(Meeting.kind, Meeting.starts_at)
        .filter(Meeting.school_year_id == year.id, Meeting.starts_at <= now)
        .order_by(Meeting.starts_at)
    ).all()
    dates: dict[str, list[str]] = {}
    for kind, starts_at in rows:
        dates.setdefault(kind, []).append(f"{starts_at:%d/%m/%Y}")
    order = list(MEETING_KINDS)
    kinds = sorted(dates, key=lambda kind: order.index(kind) if kind in order else 99)
    return [(MEETING_KINDS.get(kind, kind), len(dates[kind]), ", ".join(dates[kind])) for kind in kinds]


def report_sections(year, now: datetime | None = None) -> list[ReportSection]:
    """« Vie associative » for ``year``.

    The figures match the console's lists for ``year`` as the viewed year: meetings =
    « Réunions » of the year already held (date and time passed), by kind; planned = the
    others of the list; decisions = « Décisions » (decisions of the year's meetings); board
    members = « Membres du conseil d'administration » filtered on « En fonction » = Oui.
    """
    now = now or datetime.now()
    kinds = meetings_by_kind(year, now)
    held = sum(row[1] for row in kinds)
    planned = db.session.execute(select(func.count(Meeting.id)).filter(Meeting.school_year_id == year.id, Meeting.starts_at > now)).scalar_one()
    decisions, done = db.session.execute(
        select(func.count(Decision.id), func.count(Decision.done_on)).join(Meeting, Meeting.id == Decision.meeting_id).filter(Meeting.school_year_id == year.id)
    ).one()
    board = db.session.execute(select(func.count(BoardMember.id)).filter(BoardMember.active.is_(True))).scalar_one()
    paragraphs = []
    if held:
        detail = " ; ".join(f"{label} : {number(count)} ({dates})" for label, count, dates in kinds)
        paragraphs.append(f"{counted(held, 'réunion tenue', 'réunions tenues')} en {year.label} — {detail}.")
    else:
        paragraphs.append("Aucune réunion tenue cette année.")
    if planned:
        paragraphs.append(f"{counted(planned, 'réunion prévue', 'réunions prévues')} d'ici la fin de l'année.")
    if decisions:
        paragraphs.append(f"{counted(decisions, 'décision prise', 'décisions prises')}, dont {counted(done, 'réalisée')}.")
    else:
        paragraphs.append("Aucune décision enregistrée cette année.")
    paragraphs.append(f"Le conseil d'administration compte {counted(board, 'membre')} en fonction.")
    tables = ()
    if kinds:
        tables = (ReportTable(columns=("Instance", "Réunions", "Dates"), rows=tuple(kinds), title="Réunions tenues", total=("Total", held, "")),)
    return [
        ReportSection(
            title="Vie associative",
            order=ORDER,
            figures=(
                ("Réunions tenues", number(held)),
                ("Décisions", number(decisions)),
                ("Membres du conseil", number(board)),
            ),
            paragraphs=tuple(paragraphs),
            tables=tables,
        )
    ]
