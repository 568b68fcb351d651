"""Small helpers for the plugins' report sections: numbers the French way, loans of some item kinds.

A plugin's ``occe_report_sections`` imports these rather than rewriting them.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.report.charts import french_value

__all__ = ["cell_text", "french_value", "is_number", "loans_by_kind", "plural"]


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def cell_text(value) -> str:
    """A report table's cell: numbers the French way (« 48 230 », « 1 200,5 »), dates and the rest as the PDFs write them."""
    from app.documents import render

    return french_value(value) if is_number(value) else render.cell_text(value)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 classe », « 12 classes », « 0 classe » (French: singular up to one)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{french_value(count)} {word}"


def loans_by_kind(year, kinds) -> dict[str, int]:
    """Loans of ``year`` (cancelled ones left out) of the items of ``kinds``, per kind; as the loans list counts them."""
    from app.loans.models import CANCELLED, Loan, LoanItem

    rows = db.session.execute(
        select(LoanItem.kind, func.count(Loan.id))
        .join(LoanItem, Loan.item_id == LoanItem.id)
        .filter(Loan.school_year_id == year.id, Loan.status != CANCELLED, LoanItem.kind.in_(list(kinds)))
        .group_by(LoanItem.kind)
    )
    found = dict(rows.all())
    return {kind: int(found.get(kind, 0)) for kind in kinds}
