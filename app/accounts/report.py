"""CRFS and account checks in the year's activity report (order 30)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select

from app.accounts import service
from app.accounts.models import (
    INCOMPLETE,
    LATE,
    NOT_RECEIVED,
    ORIGINS,
    OUTCOMES,
    RECEIVED,
    RECEIVED_LATE,
    STATUSES,
    SUBSIDIES_NO,
    AccountCheck,
    Crfs,
)
from app.directory.report import counted, number
from app.extensions import db
from app.plugins.info import ReportSection, ReportTable

ORDER = 30


def status_case(today: date):
    """The CRFS computed status as SQL, the very conditions of the CRFS list's « Statut » filter."""
    complete = and_(Crfs.quitus_signed.is_(True), Crfs.bank_statement.is_(True), Crfs.subsidies_proofs != SUBSIDIES_NO)
    return case(
        (and_(Crfs.received_on.is_(None), Crfs.due_on >= today), NOT_RECEIVED),
        (Crfs.received_on.is_(None), LATE),
        (~complete, INCOMPLETE),
        (Crfs.received_on > Crfs.due_on, RECEIVED_LATE),
        else_=RECEIVED,
    )


def crfs_statuses(campaign, today: date | None = None) -> dict[str, int]:
    """CRFS rows of the campaign by computed status; one grouped query."""
    # grouped over a subquery: PostgreSQL refuses a GROUP BY on a CASE whose literals are bound twice
    statuses = select(status_case(today or date.today()).label("status")).filter(Crfs.school_year_id == campaign.id).subquery()
    rows = dict(db.session.execute(select(statuses.c.status, func.count()).group_by(statuses.c.status)).all())
    return {code: int(rows.get(code, 0)) for code in STATUSES}


def checks_by_origin_and_outcome(year) -> list[tuple[str, str, int]]:
    rows = db.session.execute(
        select(AccountCheck.origin, AccountCheck.outcome, func.count(AccountCheck.id))
        .filter(AccountCheck.school_year_id == year.id)
        .group_by(AccountCheck.origin, AccountCheck.outcome)
    ).all()
    origin_order = list(ORIGINS)
    outcome_order = list(OUTCOMES)
    rows = sorted(rows, key=lambda row: (origin_order.index(row[0]) if row[0] in origin_order else 99, outcome_order.index(row[1]) if row[1] in outcome_order else 99))
    return [(ORIGINS.get(origin, origin), OUTCOMES.get(outcome, outcome), int(count)) for origin, outcome, count in rows]


def report_sections(year, today: date | None = None) -> list[ReportSection]:
    """« Comptes des coopératives » for ``year``.

    The figures match the console's lists for ``year`` as the viewed year:
    - CRFS = « CRFS » list (the campaign run during ``year``, i.e. the reports of the year
      before), counted by the list's « Statut » (same SQL conditions as its filter);
    - « attendus » and « non reçus » = the « CRFS manquants » page (cooperatives expected to send one);
    - account checks = « Vérifications des comptes » list of the year, by origin and outcome.
    """
    today = today or date.today()
    campaign = service.previous_year(year)
    paragraphs = []
    figures = []
    tables = []
    if campaign is None:
        paragraphs.append(f"Aucune campagne de CRFS pendant {year.label} : l'exercice précédent n'est pas dans la console.")
    else:
        statuses = crfs_statuses(campaign, today)
        recorded = sum(statuses.values())
        expected = service.counts(campaign, today)
        received = statuses[RECEIVED] + statuses[RECEIVED_LATE] + statuses[INCOMPLETE]
        late = statuses[LATE] + statuses[RECEIVED_LATE]
        if recorded or expected["expected"]:
            paragraphs.append(
                f"CRFS de l'exercice {campaign.label} : {counted(received, 'reçu')}, dont {counted(statuses[RECEIVED_LATE], 'reçu en retard', 'reçus en retard')} "
                f"et {counted(statuses[INCOMPLETE], 'incomplet')} ; {number(expected['missing'])} des "
                f"{counted(expected['expected'], 'coopérative attendue', 'coopératives attendues')} ne l'ont pas encore envoyé."
            )
        else:
            paragraphs.append(f"Aucun CRFS attendu pour l'exercice {campaign.label}.")
        figures = [
            (f"CRFS {campaign.label} reçus", number(received)),
            ("Attendus", number(expected["expected"])),
            ("En retard", number(late)),
            ("Non reçus", number(expected["missing"])),
        ]
        tables.append(
            ReportTable(
                columns=("Statut", "CRFS"),
                rows=tuple((label, statuses[code]) for code, label in STATUSES.items()),
                title=f"CRFS de l'exercice {campaign.label}",
                total=("Total", recorded),
            )
        )
    checks = checks_by_origin_and_outcome(year)
    checks_total = sum(count for _o, _c, count in checks)
    figures.append(("Vérifications des comptes", number(checks_total)))
    if checks:
        closed = sum(count for _o, outcome, count in checks if outcome != OUTCOMES["en_cours"])
        paragraphs.append(f"{counted(checks_total, 'vérification')} des comptes en {year.label}, dont {counted(closed, 'conclue')}.")
        tables.append(
            ReportTable(
                columns=("Origine", "Conclusion", "Vérifications"),
                rows=tuple(checks),
                title="Vérifications des comptes",
                total=("Total", "", checks_total),
            )
        )
    else:
        paragraphs.append("Aucune vérification des comptes cette année.")
    return [ReportSection(title="Comptes des coopératives", order=ORDER, figures=tuple(figures), paragraphs=tuple(paragraphs), tables=tuple(tables))]
