"""Rules about CRFS and account checks, as plain functions over the database session.

:func:`crfs_warning` is a contract other areas (aid, actions) call: keep its
signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select

from app.accounts.models import (
    SUBSIDIES_CHOICES,
    SUBSIDIES_NO,
    AccountCheck,
    Crfs,
    due_date_for,
)
from app.directory.models import Cooperative, Membership
from app.extensions import db
from app.years.models import SchoolYear
from app.years.service import get_year, previous_label


class CrfsRefused(ValueError):
    """A CRFS change the rules refuse, with a French reason."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


def long_date(value: date) -> str:
    """« 30 septembre 2025 » (« 1er » for the first day)."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def previous_year(year: SchoolYear) -> SchoolYear | None:
    """The school year before ``year``, when it is in the database."""
    return get_year(previous_label(year.label))


def crfs_of(cooperative_id: int, year: SchoolYear) -> Crfs | None:
    return db.session.execute(select(Crfs).filter_by(cooperative_id=cooperative_id, school_year_id=year.id)).scalar_one_or_none()


def crfs_warning(cooperative_id: int, year: SchoolYear) -> str | None:
    """A French warning when the cooperative's latest CRFS, as seen from ``year``, is not received.

    For an aid or an action in school year ``year``, the latest CRFS is the one
    covering the previous school year (due 30 September at the start of ``year``).
    None when it is received, or when the previous year is not in the database.
    """
    before = previous_year(year)
    if before is None:
        return None
    report = crfs_of(cooperative_id, before)
    if report is not None and report.received_on is not None:
        return None
    due_on = report.due_on if report is not None and report.due_on else due_date_for(before)
    return _("Le CRFS %(year)s de cette coopérative n'a pas été reçu (attendu le %(day)s).", year=before.label, day=long_date(due_on))


# --- recording -------------------------------------------------------------


def get_or_create_crfs(cooperative: Cooperative, year: SchoolYear) -> Crfs:
    """The CRFS of ``cooperative`` for ``year``, created (not received) when missing. The caller commits."""
    report = crfs_of(cooperative.id, year)
    if report is None:
        report = Crfs(cooperative_id=cooperative.id, school_year_id=year.id, due_on=due_date_for(year), subsidies_proofs=SUBSIDIES_NO)
        db.session.add(report)
        db.session.flush()
    return report


def record_reception(
    report: Crfs,
    received_on: date | None,
    *,
    quitus_signed: bool,
    bank_statement: bool,
    subsidies_proofs: str,
    today: date | None = None,
) -> Crfs:
    """Record that ``report`` arrived on ``received_on`` with the pieces ticked; commit."""
    if received_on is None:
        raise CrfsRefused(_("Indiquez la date de réception du CRFS."))
    if received_on > (today or date.today()):
        raise CrfsRefused(_("La date de réception (%(day)s) ne peut pas être dans le futur.", day=_day(received_on)))
    year = report.school_year
    if year is not None and received_on < year.start_date:
        raise CrfsRefused(_("La date de réception (%(day)s) précède l'année %(year)s que couvre ce CRFS.", day=_day(received_on), year=year.label))
    if subsidies_proofs not in SUBSIDIES_CHOICES:
        raise CrfsRefused(_("Choisissez l'état des justificatifs de subventions."))
    report.received_on = received_on
    report.quitus_signed = bool(quitus_signed)
    report.bank_statement = bool(bank_statement)
    report.subsidies_proofs = subsidies_proofs
    report.version = (report.version or 0) + 1
    db.session.commit()
    return report


# --- who must send a CRFS ----------------------------------------------------


def expected_cooperatives_query(year: SchoolYear):
    """The cooperatives expected to send a CRFS for ``year``.

    Those with a membership that year; when the year has no membership rows at
    all, the active cooperatives.
    """
    has_memberships = db.session.execute(select(exists().where(Membership.school_year_id == year.id))).scalar()
    if has_memberships:
        members = select(Membership.cooperative_id).filter(Membership.school_year_id == year.id)
        return select(Cooperative).filter(Cooperative.id.in_(members))
    return select(Cooperative).filter(Cooperative.status == "active")


@dataclass(frozen=True)
class MissingRow:
    cooperative: Cooperative
    report: Crfs | None  # None: no CRFS record at all

    @property
    def due_on(self) -> date:
        return self.report.due_on if self.report is not None else None

    @property
    def received_on(self) -> date | None:
        return self.report.received_on if self.report is not None else None


def missing_and_late(year: SchoolYear) -> tuple[list[MissingRow], list[MissingRow]]:
    """(not received, received late) for ``year``: two queries whatever the number of cooperatives."""
    query = (
        expected_cooperatives_query(year)
        .outerjoin(Crfs, and_(Crfs.cooperative_id == Cooperative.id, Crfs.school_year_id == year.id))
        .add_columns(Crfs)
        .filter(or_(Crfs.id.is_(None), Crfs.received_on.is_(None), Crfs.received_on > Crfs.due_on))
        .order_by(Cooperative.affiliation_number)
    )
    missing, late = [], []
    for cooperative, report in db.session.execute(query).unique().all():
        row = MissingRow(cooperative, report)
        if report is None or report.received_on is None:
            missing.append(row)
        else:
            late.append(row)
    return missing, late


def counts(year: SchoolYear, today: date | None = None) -> dict[str, int]:
    """Expected, received and late (not received after the due date, or received after it) CRFS of ``year``."""
    today = today or date.today()
    expected_ids = expected_cooperatives_query(year).with_only_columns(Cooperative.id).subquery()
    base = select(func.count(Crfs.id)).filter(Crfs.school_year_id == year.id, Crfs.cooperative_id.in_(select(expected_ids.c.id)))
    expected = db.session.execute(select(func.count()).select_from(expected_ids)).scalar_one()
    received = db.session.execute(base.filter(Crfs.received_on.is_not(None))).scalar_one()
    received_late = db.session.execute(base.filter(Crfs.received_on > Crfs.due_on)).scalar_one()
    not_received = expected - received
    late = received_late + (not_received if due_date_for(year) < today else 0)
    return {"expected": expected, "received": received, "missing": not_received, "late": late}


def last_closed_year(today: date | None = None) -> SchoolYear | None:
    """The latest school year already over on ``today`` (the one whose CRFS are due or arriving)."""
    today = today or date.today()
    query = select(SchoolYear).filter(SchoolYear.end_date < today).order_by(SchoolYear.end_date.desc()).limit(1)
    return db.session.execute(query).scalar_one_or_none()


# --- history ---------------------------------------------------------------------


def reports_of(cooperative: Cooperative) -> list[Crfs]:
    query = select(Crfs).join(SchoolYear, Crfs.school_year_id == SchoolYear.id).filter(Crfs.cooperative_id == cooperative.id)
    return list(db.session.execute(query.order_by(SchoolYear.start_date.desc())).scalars())


def checks_of(cooperative: Cooperative) -> list[AccountCheck]:
    query = select(AccountCheck).filter(AccountCheck.cooperative_id == cooperative.id)
    return list(db.session.execute(query.order_by(AccountCheck.requested_on.desc(), AccountCheck.id.desc())).scalars().unique())
