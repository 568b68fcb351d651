"""The directory's figures for the dashboard and, later, the activity report."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.directory.models import Cooperative, Membership, Sector
from app.extensions import db
from app.years.service import get_year, previous_label


@dataclass(frozen=True)
class MemberFigures:
    year: str
    members: int
    cooperatives: int
    previous_year: str
    previous_members: int

    @property
    def change(self) -> int:
        return self.members - self.previous_members


def _totals(year_id: int | None) -> tuple[int, int]:
    if year_id is None:
        return 0, 0
    members, cooperatives = db.session.execute(
        select(func.coalesce(func.sum(Membership.pupils + Membership.adults), 0), func.count(Membership.id)).where(
            Membership.school_year_id == year_id
        )
    ).one()
    return int(members), int(cooperatives)


def member_figures(year) -> MemberFigures:
    """Members and member cooperatives of ``year``, with last year's members."""
    previous = get_year(previous_label(year.label))
    members, cooperatives = _totals(year.id)
    previous_members, _ = _totals(previous.id if previous else None)
    return MemberFigures(year.label, members, cooperatives, previous_label(year.label), previous_members)


def members_per_sector(year) -> list[tuple[str, int, int]]:
    """``(sector, member cooperatives, members)`` for ``year``, largest first; one query."""
    rows = db.session.execute(
        select(
            func.coalesce(Sector.name, "Sans secteur"),
            func.count(Membership.id),
            func.coalesce(func.sum(Membership.pupils + Membership.adults), 0),
        )
        .select_from(Membership)
        .join(Cooperative, Cooperative.id == Membership.cooperative_id)
        .outerjoin(Sector, Sector.id == Cooperative.sector_id)
        .where(Membership.school_year_id == year.id)
        .group_by(Sector.name)
        .order_by(func.sum(Membership.pupils + Membership.adults).desc())
    )
    return [(name, int(count), int(members)) for name, count, members in rows]


def french_number(value: int) -> str:
    """48230 → "48 230" (narrow no-break space, as French typography wants)."""
    return f"{value:,}".replace(",", "\u202f")
