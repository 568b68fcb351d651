"""Figures and tabs of the actions area: one grouped query each."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.actions.models import ACTIVE_STATUSES, STATUSES, Action, Registration
from app.extensions import db
from app.plugins.info import CooperativeTab, DashboardCard
from app.years.models import SchoolYear


def registrations_per_action(year) -> list[tuple[str, int]]:
    """``(action name, live registrations)`` for ``year``, largest first."""
    rows = db.session.execute(
        select(Action.name, func.count(Registration.id))
        .join(Registration, Registration.action_id == Action.id)
        .filter(Action.school_year_id == year.id, Registration.status.in_(ACTIVE_STATUSES))
        .group_by(Action.id, Action.name)
        .order_by(func.count(Registration.id).desc(), Action.name)
    )
    return [(name, count) for name, count in rows]


def _may_register() -> bool:
    from flask import current_app

    return bool(current_app.appbuilder.sm.has_access("can_register", "RegisterView"))


def registrations_tab(cooperative) -> CooperativeTab:
    may_register = _may_register()
    rows = db.session.execute(
        select(Registration)
        .join(SchoolYear, Registration.school_year_id == SchoolYear.id)
        .filter(Registration.cooperative_id == cooperative.id)
        .order_by(SchoolYear.start_date.desc(), Registration.requested_at.desc())
        .limit(100)
    ).scalars()
    return CooperativeTab(
        title=_("Inscriptions aux actions"),
        columns=(_("Année"), _("Action"), _("Classe"), _("Élèves"), _("Statut")),
        rows=tuple(
            (r.school_year.label, r.action.name, r.classroom.name if r.classroom else _("toute la coopérative"), r.pupils or "", STATUSES.get(r.status, r.status))
            for r in rows
        ),
        url=url_for("RegistrationView.list", _flt_0_cooperative=cooperative.id),
        empty=_("Aucune inscription."),
        action_url=url_for("RegisterView.form", cooperative_id=cooperative.id) if may_register else "",
        action_label=_("Inscrire une classe") if may_register else "",
    )


def plugin_registrations(plugin_code: str, year) -> int:
    """Live registrations (refusals and cancellations left out) to the actions of ``plugin_code`` in ``year``."""
    if year is None:
        return 0
    query = (
        select(func.count(Registration.id))
        .join(Action, Registration.action_id == Action.id)
        .filter(Action.plugin_code == plugin_code, Action.school_year_id == year.id, Registration.status.in_(ACTIVE_STATUSES))
    )
    return db.session.execute(query).scalar_one()


def registrations_card(plugin_code: str, title: str, year, url: str = "") -> DashboardCard:
    """The card every action plugin shows: its registrations this year against the year before."""
    from app.years.service import get_year, previous_label

    this_year = plugin_registrations(plugin_code, year)
    last_year = plugin_registrations(plugin_code, get_year(previous_label(year.label)))
    return DashboardCard(
        title=title,
        value=str(this_year),
        detail=f"{this_year - last_year:+d} par rapport à l'année précédente ({last_year})".replace("-", "−"),
        url=url,
        bars=(("Cette année", this_year), ("L'an dernier", last_year)),
    )
