"""Booking, checking out and returning loans; overdue loans; the availability calendar.

No double booking, even for two staff booking the same trunk at the same
moment: :func:`book` first increments the item's ``bookings`` counter, which
locks the item's row until the booking commits (PostgreSQL) or takes the
database's write lock (SQLite); only then does it look for overlapping loans.
The second booking therefore sees the first one, or fails as "busy" and
is refused: never both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.extensions import db
from app.loans.models import CANCELLED, LIVE_STATUSES, OUT, RESERVED, RETURNED, Loan, LoanItem, checklist_lines
from app.years.service import get_or_create_year, label_for

DEFAULT_MAX_DAYS = 70


class LoanRefused(ValueError):
    """A booking the rules refuse, with a French reason."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def max_days() -> int:
    return int(current_app.config.get("OCCE_LOAN_MAX_DAYS", DEFAULT_MAX_DAYS))


def overlapping(item_id: int, starts_on: date, ends_on: date, exclude_id: int | None = None) -> list[Loan]:
    query = select(Loan).filter(
        Loan.item_id == item_id, Loan.status.in_(LIVE_STATUSES), Loan.starts_on <= ends_on, Loan.ends_on >= starts_on
    )
    if exclude_id is not None:
        query = query.filter(Loan.id != exclude_id)
    return list(db.session.execute(query.order_by(Loan.starts_on)).scalars())


def _lock_item(item: LoanItem) -> None:
    db.session.execute(update(LoanItem).where(LoanItem.id == item.id).values(bookings=LoanItem.bookings + 1).execution_options(synchronize_session=False))


def book(item: LoanItem, cooperative, starts_on: date, ends_on: date, *, classroom=None, notes: str | None = None, user_id: int | None = None) -> Loan:
    """Reserve ``item`` for ``cooperative`` from ``starts_on`` to ``ends_on`` (return day), or raise :class:`LoanRefused`."""
    if ends_on < starts_on:
        raise LoanRefused(_("Le retour (%(end)s) doit suivre le départ (%(start)s).", end=_day(ends_on), start=_day(starts_on)))
    if (ends_on - starts_on).days > max_days():
        raise LoanRefused(_("Un prêt dure %(days)s jours au plus.", days=max_days()))
    if not item.active or item.condition == "hors_service":
        raise LoanRefused(_("« %(item)s » n'est pas disponible au prêt (hors service ou retiré).", item=str(item)))
    if cooperative is None:
        raise LoanRefused(_("Choisissez la coopérative qui emprunte."))
    _lock_item(item)
    clash = overlapping(item.id, starts_on, ends_on)
    if clash:
        other = clash[0]
        raise LoanRefused(
            _(
                "« %(item)s » est déjà réservé du %(start)s au %(end)s (coopérative %(coop)s) : choisissez d'autres dates ou un autre article.",
                item=str(item),
                start=_day(other.starts_on),
                end=_day(other.ends_on),
                coop=other.cooperative.affiliation_number,
            )
        )
    year = get_or_create_year(label_for(starts_on))
    loan = Loan(
        item_id=item.id,
        cooperative_id=cooperative.id,
        classroom_id=classroom.id if classroom is not None else None,
        school_year_id=year.id,
        starts_on=starts_on,
        ends_on=ends_on,
        status=RESERVED,
        notes=notes,
        created_by_id=user_id,
    )
    db.session.add(loan)
    db.session.commit()
    return loan


def check_out(loan: Loan, checked: list[str], on: date | None = None) -> list[str]:
    """The item leaves: record the checklist ticked; return the elements not ticked (missing at departure)."""
    if loan.status != RESERVED:
        raise LoanRefused(_("Seul un prêt réservé peut sortir (statut actuel : %(status)s).", status=loan.status_label))
    expected = loan.item.checklist_items
    missing = [line for line in expected if line not in checked]
    loan.status = OUT
    loan.checked_out_on = on or date.today()
    loan.checkout_checklist = "\n".join(line for line in expected if line in checked)
    db.session.commit()
    return missing


def return_loan(loan: Loan, present: list[str], condition: str, on: date | None = None) -> list[str]:
    """The item comes back: record what is missing against the checklist and its condition; return the missing elements."""
    if loan.status != OUT:
        raise LoanRefused(_("Seul un prêt sorti peut être rendu (statut actuel : %(status)s).", status=loan.status_label))
    missing = [line for line in loan.item.checklist_items if line not in present]
    loan.status = RETURNED
    loan.returned_on = on or date.today()
    loan.missing_on_return = "\n".join(missing) or None
    loan.return_condition = condition
    loan.item.condition = condition
    db.session.commit()
    return missing


def cancel(loan: Loan) -> None:
    if loan.status != RESERVED:
        raise LoanRefused(_("Seul un prêt réservé peut être annulé (statut actuel : %(status)s).", status=loan.status_label))
    loan.status = CANCELLED
    db.session.commit()


def overdue(today: date | None = None) -> list[Loan]:
    query = select(Loan).filter(Loan.status == OUT, Loan.ends_on < (today or date.today())).order_by(Loan.ends_on)
    return list(db.session.execute(query).scalars())


def counts(today: date | None = None) -> dict[str, int]:
    today = today or date.today()
    out = db.session.execute(select(func.count(Loan.id)).filter(Loan.status == OUT)).scalar_one()
    late = db.session.execute(select(func.count(Loan.id)).filter(Loan.status == OUT, Loan.ends_on < today)).scalar_one()
    reserved = db.session.execute(select(func.count(Loan.id)).filter(Loan.status == RESERVED, Loan.starts_on >= today)).scalar_one()
    return {"out": out, "late": late, "reserved": reserved}


@dataclass(frozen=True)
class CalendarRow:
    item: LoanItem
    cells: tuple  # one per day: None (free) or the Loan occupying it


def calendar(kind: str | None, first_day: date, days: int = 42) -> tuple[list[date], list[CalendarRow]]:
    """Items (of ``kind``, or all) against ``days`` days from ``first_day``: two queries, whatever the size."""
    last_day = first_day + timedelta(days=days - 1)
    items_query = select(LoanItem).filter(LoanItem.active.is_(True)).order_by(LoanItem.kind, LoanItem.code)
    if kind:
        items_query = items_query.filter(LoanItem.kind == kind)
    items = list(db.session.execute(items_query).scalars())
    loans = db.session.execute(
        select(Loan).filter(Loan.status.in_(LIVE_STATUSES + (RETURNED,)), Loan.starts_on <= last_day, Loan.ends_on >= first_day)
    ).scalars()
    by_item: dict[int, list[Loan]] = {}
    for loan in loans:
        by_item.setdefault(loan.item_id, []).append(loan)
    dates = [first_day + timedelta(days=offset) for offset in range(days)]
    rows = []
    for item in items:
        cells = []
        for day in dates:
            found = next((loan for loan in by_item.get(item.id, ()) if loan.starts_on <= day <= (loan.returned_on if loan.status == RETURNED and loan.returned_on else loan.ends_on)), None)
            cells.append(found)
        rows.append(CalendarRow(item, tuple(cells)))
    return dates, rows


__all__ = ["LoanRefused", "book", "calendar", "cancel", "check_out", "checklist_lines", "counts", "overdue", "return_loan"]
