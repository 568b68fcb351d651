"""The loans tab of the cooperative page."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.loans.models import STATUSES, Loan
from app.plugins.info import CooperativeTab
from app.views import french_date


def loans_tab(cooperative) -> CooperativeTab:
    rows = db.session.execute(select(Loan).filter(Loan.cooperative_id == cooperative.id).order_by(Loan.starts_on.desc()).limit(100)).scalars()
    may_book = current_app.appbuilder.sm.has_access("can_book", "BookingView")
    return CooperativeTab(
        title=_("Prêts"),
        columns=(_("Article"), _("Départ"), _("Retour prévu"), _("Rendu le"), _("Statut")),
        rows=tuple((str(loan.item), french_date(loan.starts_on), french_date(loan.ends_on), french_date(loan.returned_on), STATUSES.get(loan.status, loan.status)) for loan in rows),
        url=url_for("LoanView.list", _flt_0_cooperative=cooperative.id),
        empty=_("Aucun prêt."),
        action_url=url_for("BookingView.form", cooperative_id=cooperative.id) if may_book else "",
        action_label=_("Réserver une malle ou un kit") if may_book else "",
    )
