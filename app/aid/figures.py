"""The aid tab of the cooperative page and the dashboard card."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.aid.models import AWAITING_DECISION, KINDS, STATUSES, AidRequest
from app.aid.service import money, totals
from app.extensions import db
from app.plugins.info import CooperativeTab, DashboardCard
from app.views import french_date


def aid_tab(cooperative) -> CooperativeTab:
    """The cooperative's aid requests over the years, newest first."""
    rows = db.session.execute(
        select(AidRequest).filter(AidRequest.cooperative_id == cooperative.id).order_by(AidRequest.received_on.desc(), AidRequest.id.desc()).limit(100)
    ).scalars()
    may_add = current_app.appbuilder.sm.has_access("can_add", "AidRequestView")
    return CooperativeTab(
        title=_("Aides financières"),
        columns=(_("Année"), _("Reçue le"), _("Projet"), _("Type"), _("Demandé"), _("Accordé"), _("Versé"), _("Statut")),
        rows=tuple(
            (
                item.school_year.label if item.school_year else "",
                french_date(item.received_on),
                item.project_title,
                KINDS.get(item.kind, item.kind),
                money(item.amount_requested),
                money(item.amount_granted),
                money(item.amount_paid),
                STATUSES.get(item.status, item.status),
            )
            for item in rows
        ),
        url=url_for("AidRequestView.list", _flt_0_cooperative=cooperative.id),
        empty=_("Aucune demande d'aide."),
        action_url=url_for("AidRequestView.add") if may_add else "",
        action_label=_("Enregistrer une demande d'aide") if may_add else "",
    )


def dashboard_card(year) -> DashboardCard | None:
    """Requested / granted / paid this year, and the requests awaiting the commission."""
    if year is None:
        return None
    figures = totals(year)
    waiting = db.session.execute(
        select(func.count(AidRequest.id)).filter(AidRequest.school_year_id == year.id, AidRequest.status.in_(AWAITING_DECISION))
    ).scalar_one()
    return DashboardCard(
        title=_("Aides financières %(year)s", year=year.label),
        value=money(figures["granted"]),
        detail=_(
            "accordés ; demandés : %(requested)s ; versés : %(paid)s ; %(waiting)s demande(s) en attente de la commission",
            requested=money(figures["requested"]),
            paid=money(figures["paid"]),
            waiting=waiting,
        ),
        url=url_for("AidCommissionView.page") if waiting else url_for("AidRequestView.list"),
        bars=((_("Demandé"), float(figures["requested"])), (_("Accordé"), float(figures["granted"])), (_("Versé"), float(figures["paid"]))),
        bars_unit="€",
    )
