"""Small helpers for the plugins' report sections: numbers the French way, loans of some item kinds.

A plugin's ``occe_report_sections`` imports these rather than rewriting them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.report.charts import french_value

__all__ = ["french_value", "loans_by_kind", "plural"]


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
