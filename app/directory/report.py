"""The directory's section of the year's activity report (order 10), and the small French
wording helpers the other core areas' report sections share.

Every number comes from a grouped SQL query (a handful per section), never from a
Python loop over memberships: the report builds in seconds at the national scale.
An area with nothing that year still returns its section, with a sentence saying so.
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import func, select

from app.directory.figures import french_number, member_figures, members_per_sector
from app.directory.models import CHANNELS, Membership, SupportContact
from app.extensions import db
from app.plugins.info import ReportChart, ReportSection, ReportTable
from app.years.models import SchoolYear

ORDER = 10


# --- wording helpers shared by the core areas' sections ----------------------------------


def number(value) -> str:
    """48230 → « 48 230 » (narrow no-break space); Decimals keep their decimal comma."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole = f"{value:,.2f}".rstrip("0").rstrip(".")
        return whole.replace(",", "\u202f").replace(".", ",")
    return french_number(int(value or 0))


def counted(value: int, singular: str, plural: str | None = None) -> str:
    """« 1 session », « 3 sessions », « 48 230 adhérents » (French: 0 and 1 take the singular)."""
    value = int(value or 0)
    word = singular if value < 2 else (plural or singular + "s")
    return f"{number(value)} {word}"


def change_text(change: int) -> str:
    """The change against last year as the activity plan writes it: « 1 753 de moins », « 12 de plus », « autant »."""
    if change > 0:
        return f"{number(change)} de plus"
    if change < 0:
        return f"{number(-change)} de moins"
    return "autant"


def hours_text(value) -> str:
    """Hours as the plan writes them: 9 → « 9 h », 1.5 → « 1 h 30 »."""
    minutes = round(float(value or 0) * 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{number(hours)} h {rest:02d}" if rest else f"{number(hours)} h"


def year_bounds(year) -> tuple[datetime, datetime]:
    """The year's first and last instants, for DateTime columns."""
    return datetime.combine(year.start_date, time.min), datetime.combine(year.end_date, time.max)


# --- the directory's section -------------------------------------------------------------


def members_over_the_years(until=None) -> list[tuple[str, int]]:
    """``(year label, members)`` for every school year with memberships up to ``until`` (the report's year), oldest first; one query."""
    query = select(SchoolYear.label, func.coalesce(func.sum(Membership.pupils + Membership.adults), 0)).join(Membership, Membership.school_year_id == SchoolYear.id)
    if until is not None:  # the report of 2025-2026 does not show the year after, begun since
        query = query.filter(SchoolYear.start_date <= until.start_date)
    rows = db.session.execute(
        query
        .group_by(SchoolYear.id, SchoolYear.label, SchoolYear.start_date)
        .order_by(SchoolYear.start_date)
    )
    return [(label, int(members)) for label, members in rows]


def support_contacts_by_channel(year) -> list[tuple[str, int]]:
    """``(channel label, exchanges)`` dated within the school year; one query."""
    rows = dict(
        db.session.execute(
            select(SupportContact.channel, func.count(SupportContact.id))
            .filter(SupportContact.contact_date >= year.start_date, SupportContact.contact_date <= year.end_date)
            .group_by(SupportContact.channel)
        ).all()
    )
    known = [(label, int(rows.pop(code, 0))) for code, label in CHANNELS.items()]
    return known + [(code or "—", int(count)) for code, count in sorted(rows.items(), key=lambda item: str(item[0]))]


def report_sections(year) -> list[ReportSection]:
    """« Coopératives et adhérents » for ``year``.

    The figures match the console's lists:
    - cooperatives and members = Annuaire › Adhésions filtered on « Année scolaire » = the year
      (one membership per member cooperative; members = pupils + adults), like the home page's card;
    - the change is against the same list for the previous school year (0 when it is not in the database);
    - per sector = the same memberships grouped by their cooperative's sector (« Sans secteur » otherwise);
    - support contacts = Annuaire › Accompagnement, exchanges dated within the school year, by channel.
    """
    figures = member_figures(year)
    sectors = members_per_sector(year)
    history = members_over_the_years(year)
    contacts = support_contacts_by_channel(year)
    contacts_total = sum(count for _label, count in contacts)

    if figures.cooperatives:
        change = f" ({change_text(figures.change)} qu'en {figures.previous_year})" if figures.previous_members else ""
        headline = (
            f"{counted(figures.cooperatives, 'coopérative adhérente', 'coopératives adhérentes')}, "
            f"{counted(figures.members, 'adhérent')} pour {year.label}{change}."
        )
    else:
        headline = f"Aucune adhésion enregistrée pour {year.label}."
    paragraphs = [headline]
    if contacts_total:
        detail = ", ".join(f"{counted(count, label.lower())}" for label, count in contacts if count)
        paragraphs.append(f"{counted(contacts_total, 'échange')} d'accompagnement avec les coopératives ({detail}).")
    else:
        paragraphs.append("Aucun échange d'accompagnement noté cette année.")

    section_figures = [
        ("Coopératives adhérentes", number(figures.cooperatives)),
        ("Adhérents", number(figures.members)),
    ]
    if figures.previous_members:
        section_figures.append((f"Par rapport à {figures.previous_year}", change_text(figures.change)))
    section_figures.append(("Échanges d'accompagnement", number(contacts_total)))

    tables = []
    charts = []
    if sectors:
        tables.append(
            ReportTable(
                columns=("Secteur", "Coopératives adhérentes", "Adhérents"),
                rows=tuple((name, count, members) for name, count, members in sectors),
                title="Adhésions par secteur",
                total=("Total", figures.cooperatives, figures.members),
            )
        )
        charts.append(ReportChart(title="Adhérents par secteur", labels=tuple(name for name, _c, _m in sectors), values=tuple(float(m) for _n, _c, m in sectors)))
    if history:
        charts.insert(0, ReportChart(title="Adhérents au fil des années", labels=tuple(label for label, _m in history), values=tuple(float(m) for _l, m in history), kind="line"))
    if contacts_total:
        tables.append(
            ReportTable(
                columns=("Canal", "Échanges"),
                rows=tuple((label, count) for label, count in contacts if count),
                title="Accompagnement des coopératives",
                total=("Total", contacts_total),
            )
        )
    return [
        ReportSection(
            title="Coopératives et adhérents",
            order=ORDER,
            figures=tuple(section_figures),
            paragraphs=tuple(paragraphs),
            tables=tuple(tables),
            charts=tuple(charts),
        )
    ]
