"""The orders tab of the cooperative page."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.money import money
from app.plugins.info import CooperativeTab
from app.sales.models import PAYMENT_STATUSES, STATUSES, Order
from app.views import french_date


def orders_tab(cooperative) -> CooperativeTab:
    rows = db.session.execute(select(Order).filter(Order.cooperative_id == cooperative.id).order_by(Order.ordered_on.desc(), Order.id.desc()).limit(100)).scalars()
    may_order = current_app.appbuilder.sm.has_access("can_order", "OrderEntryView")
    return CooperativeTab(
        title=_("Commandes (ventes)"),
        columns=(_("N°"), _("Année"), _("Commandée le"), _("Exemplaires"), _("Total"), _("Statut"), _("Paiement")),
        rows=tuple(
            (order.number, order.school_year.label, french_date(order.ordered_on), order.copies, money(order.total), STATUSES.get(order.status, order.status),
             PAYMENT_STATUSES.get(order.payment_status, order.payment_status))
            for order in rows
        ),
        url=url_for("OrderView.list", _flt_0_cooperative=cooperative.id),
        empty=_("Aucune commande."),
        action_url=url_for("OrderEntryView.new", cooperative_id=cooperative.id) if may_order else "",
        action_label=_("Nouvelle commande") if may_order else "",
    )
