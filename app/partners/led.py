"""What every partner-led action plugin shares (THEA 02, Bals en liance 02...): written once, here.

A partner-led action is a core ``Action`` of one school year tied to partner
organisations (:class:`~app.partners.models.ActionPartner`). Its plugin keeps
one « sheet » per retained class (a play, the dances...) in its own table,
with ``registration_id``, ``action_id`` and ``school_year_id`` columns, and
declares two views on it:

- a staff view (:class:`ClassSheetStaffView`): the add form offers only the
  viewed year's retained classes of the plugin's action, and every save is
  checked again (:func:`attach_sheet`) against a forged POST;
- a partner view (:class:`ClassSheetPartnerView`): the sheets of the partner's
  own classes only, read only (:func:`app.partners.scope.my_visible_registration_ids`).

The closing event, the artists' sessions, their schedule and the hours per
partner are the core's (:mod:`app.partners.service`); :func:`action_figures`
gives the dashboard card's numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from flask_appbuilder.models.sqla.filters import FilterEqualFunction, FilterInFunction
from sqlalchemy import func, select

from app.actions.catalogue import ensure_action
from app.actions.models import PLACE_STATUSES, Action, Registration
from app.actions.views import viewed_year_id
from app.association.models import Partner
from app.directory.models import Classroom
from app.extensions import db
from app.partners.models import ActionPartner, PartnerEvent
from app.partners.scope import my_visible_registration_ids
from app.views import ExportableModelView, OcceModelView

#: base filter of every yearly sheet list: the viewed school year
YEAR_FILTER = ["school_year_id", FilterEqualFunction, viewed_year_id]


class SheetRefused(ValueError):
    """A class sheet that cannot be saved (another action's class, a class not retained); the message is French."""


# --- the year's action and its partners -------------------------------------------------------------


def partner_named(name: str, kind: str = "compagnie") -> Partner:
    """The organisation ``name``, created when the partners' directory lacks it. The caller commits."""
    found = db.session.execute(select(Partner).filter_by(name=name)).scalar_one_or_none()
    if found is None:
        found = Partner(name=name, kind=kind, active=True)
        db.session.add(found)
        db.session.flush()
    return found


def ensure_partner_action(year, code: str, name: str, *, plugin_code: str, partners: Iterable[str], **fields) -> Action:
    """The plugin's action of ``year`` (``ensure_action``), tied to each organisation of ``partners``; never duplicated. The caller commits."""
    action = ensure_action(year, code, name, plugin_code=plugin_code, **fields)
    db.session.flush()
    tied = set(db.session.execute(select(ActionPartner.partner_id).filter_by(action_id=action.id)).scalars())
    for partner_name in partners:
        partner = partner_named(partner_name)
        if partner.id not in tied:
            db.session.add(ActionPartner(action_id=action.id, partner_id=partner.id))
            tied.add(partner.id)
    db.session.flush()
    return action


def plugin_action(year, plugin_code: str) -> Action | None:
    """The first action of ``plugin_code`` in ``year`` (a partner-led plugin has one a year), or None."""
    if year is None:
        return None
    query = select(Action).filter_by(school_year_id=year.id, plugin_code=plugin_code).order_by(Action.id).limit(1)
    return db.session.execute(query).scalar_one_or_none()


def closing_event(action: Action | None) -> PartnerEvent | None:
    """The action's closing event (the rencontre théâtrale, the ball), the earliest when there are several."""
    if action is None:
        return None
    query = select(PartnerEvent).filter_by(action_id=action.id).order_by(PartnerEvent.held_on, PartnerEvent.id)
    return db.session.execute(query).scalars().first()


# --- one sheet per retained class ----------------------------------------------------------------------


def retained_registration_ids(plugin_code: str) -> list[int]:
    """The viewed year's retained classes of ``plugin_code``'s actions (what a sheet's add form offers)."""
    query = (
        select(Registration.id)
        .join(Action, Registration.action_id == Action.id)
        .filter(Action.plugin_code == plugin_code, Registration.school_year_id == viewed_year_id(), Registration.status.in_(PLACE_STATUSES))
    )
    return list(db.session.execute(query).scalars())


def attach_sheet(sheet, plugin_code: str, action_label: str, waiting: str) -> Registration:
    """Check that ``sheet``'s class is a retained class of ``plugin_code``, and copy its action and year onto it.

    Raises :class:`SheetRefused`: « Choisissez une classe inscrite à {action_label}. »
    or « La classe « … » n'est pas retenue : {waiting}. »
    """
    registration = sheet.registration or (db.session.get(Registration, sheet.registration_id) if sheet.registration_id else None)
    if registration is None or registration.action is None or registration.action.plugin_code != plugin_code:
        raise SheetRefused(f"Choisissez une classe inscrite à {action_label}.")
    if registration.status not in PLACE_STATUSES:
        raise SheetRefused(f"La classe « {registration} » n'est pas retenue : {waiting}.")
    sheet.action_id = registration.action_id
    sheet.school_year_id = registration.school_year_id
    return registration


def with_sheets(model, registrations) -> list[tuple[Registration, object | None]]:
    """``registrations`` by school then class name, each with its ``model`` sheet (None when not yet written); one query."""
    regs = sorted(registrations, key=lambda r: (r.school_name, r.classroom.name if r.classroom else "", r.id))
    sheets = {}
    if regs:
        rows = db.session.execute(select(model).filter(model.registration_id.in_([r.id for r in regs]))).scalars()
        sheets = {sheet.registration_id: sheet for sheet in rows}
    return [(registration, sheets.get(registration.id)) for registration in regs]


def action_figures(year, action: Action | None) -> dict:
    """The dashboard card's numbers: retained classes, their pupils, and the partners' hours held (``hours_by_partner``)."""
    from app.partners.service import hours_by_partner

    if action is None:
        return {"classes": 0, "pupils": 0, "hours": Decimal("0"), "by_partner": []}
    classes, pupils = db.session.execute(
        select(func.count(Registration.id), func.coalesce(func.sum(func.coalesce(Registration.pupils, Classroom.pupils)), 0))
        .select_from(Registration)
        .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
        .filter(Registration.action_id == action.id, Registration.status.in_(PLACE_STATUSES))
    ).one()
    rows = hours_by_partner(year, action_ids=[action.id])
    hours = sum((row.held_hours for row in rows), Decimal("0"))
    return {"classes": classes, "pupils": int(pupils), "hours": hours, "by_partner": [(row.partner.name, row.held_hours) for row in rows]}


def action_card(year, action: Action | None, *, title: str, url: str, artists: str = "les artistes"):
    """The dashboard card of a partner-led action: retained classes, pupils, hours held per partner (bars)."""
    from app.partners.service import hours_text
    from app.plugins import DashboardCard

    found = action_figures(year, action)
    return DashboardCard(
        title=title,
        value=str(found["classes"]),
        detail=f"{found['pupils']} élèves · {hours_text(found['hours']) or '0 h'} d'intervention tenues par {artists}",
        url=url,
        bars=tuple((name, float(held)) for name, held in found["by_partner"]),
        bars_unit="h",
    )


# --- the two views on a plugin's sheets ---------------------------------------------------------------


class ClassSheetStaffView(ExportableModelView):
    """Staff view of a plugin's class sheets: set ``plugin_code``, ``action_label`` and ``waiting``.

    The add form offers the retained classes of the plugin only; ``pre_add``
    and ``pre_update`` check again (a forged POST naming another action's
    class is refused). Field checks belong in ``validators_columns`` (an
    exception here loses what was typed: FAB redirects).
    """

    plugin_code = ""
    action_label = ""
    waiting = "sa fiche attendra qu'elle le soit"
    base_filters = [YEAR_FILTER]

    def __init__(self, *args, **kwargs):
        self.add_form_query_rel_fields = {"registration": [["id", FilterInFunction, partial(retained_registration_ids, self.plugin_code)]]}
        super().__init__(*args, **kwargs)

    def pre_add(self, item) -> None:
        attach_sheet(item, self.plugin_code, self.action_label, self.waiting)

    def pre_update(self, item) -> None:
        attach_sheet(item, self.plugin_code, self.action_label, self.waiting)


class ClassSheetPartnerView(OcceModelView):
    """A partner's read-only view of a plugin's class sheets: those of its own retained classes, in the viewed year."""

    base_permissions = ["can_list", "can_show"]
    base_filters = [["registration_id", FilterInFunction, my_visible_registration_ids], YEAR_FILTER]


# --- the activity report ---------------------------------------------------------------------------


def action_report_section(year, action: Action | None, *, title: str, order: int, sheet_rows=(), sheet_columns=(), event_word: str = "événement de clôture"):
    """The report section of a partner-led action: classes and pupils, hours per partner, the closing event.

    ``sheet_columns``/``sheet_rows`` add the plugin's own table (the plays, the dances).
    Figures are those of the dashboard card (:func:`action_figures`) and of « Heures par partenaire ».
    """
    from app.partners.service import hours_text
    from app.plugins import ReportChart, ReportSection, ReportTable
    from app.report.helpers import french_value, plural

    found = action_figures(year, action)
    event = closing_event(action)
    paragraphs = [
        f"{plural(found['classes'], 'classe retenue', 'classes retenues')} ({plural(found['pupils'], 'élève')}), "
        f"{hours_text(found['hours']) or '0 h'} d'intervention tenues par les artistes des partenaires."
    ]
    if event is not None:
        when = event.held_on.strftime("%d/%m/%Y") if event.held_on else "date à préciser"
        paragraphs.append(f"{event.title} : le {when}, {event.venue or 'lieu à préciser'}, {plural(len(event.registrations), 'classe')}.")
    else:
        paragraphs.append(f"Aucun {event_word} enregistré cette année.")
    tables = [ReportTable(columns=("Partenaire", "Heures tenues"), rows=tuple((name, held) for name, held in found["by_partner"]), title="Heures par partenaire")]
    if sheet_columns:
        tables.append(ReportTable(columns=tuple(sheet_columns), rows=tuple(sheet_rows)))
    charts = ()
    if found["by_partner"]:
        charts = (ReportChart(title=f"{title} : heures par partenaire", labels=tuple(name for name, _ in found["by_partner"]), values=tuple(held for _, held in found["by_partner"]), unit="h"),)
    return ReportSection(
        title=title,
        order=order,
        figures=(("classes retenues", french_value(found["classes"])), ("élèves", french_value(found["pupils"])), ("heures d'intervention", hours_text(found["hours"]) or "0 h")),
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        charts=charts,
    )
