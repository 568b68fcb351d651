"""The home page of a partner account: its own classes and sessions, nothing of the association's figures.

The plugins' cards (members, aid amounts, CRFS, every action's counts, every
partner's hours) are the staff's; an account whose only role is Partenaire
gets these cards instead (see :func:`app.home.dashboard_cards`).
"""

from __future__ import annotations

from decimal import Decimal

from flask import url_for
from flask_babel import gettext
from sqlalchemy import func, select

from app.actions.models import Registration
from app.extensions import db
from app.partners.models import CANCELLED, HELD, PartnerSession
from app.partners.scope import VISIBLE_STATUSES, action_ids_of, current_partner_id
from app.plugins import DashboardCard


def partner_cards(year) -> list[DashboardCard]:
    """« Mes classes » and « Mes séances » of the signed-in partner's organisation for ``year``."""
    from app.partners.service import hours_text

    partner_id = current_partner_id()
    if year is None or partner_id is None:
        return [DashboardCard(title=gettext("Espace partenaire"), value="—", detail=gettext("Ce compte n'est rattaché à aucun partenaire : demandez à l'association de le rattacher."))]
    actions = action_ids_of(partner_id)
    classes = 0
    if actions:
        classes = db.session.execute(
            select(func.count(Registration.id)).filter(Registration.action_id.in_(actions), Registration.school_year_id == year.id, Registration.status.in_(VISIBLE_STATUSES))
        ).scalar_one()
    rows = db.session.execute(
        select(PartnerSession.status, func.count(PartnerSession.id), func.coalesce(func.sum(PartnerSession.hours), 0))
        .filter(PartnerSession.partner_id == partner_id, PartnerSession.school_year_id == year.id, PartnerSession.status != CANCELLED)
        .group_by(PartnerSession.status)
    ).all()
    held = next((Decimal(hours) for status, _count, hours in rows if status == HELD), Decimal("0"))
    planned = sum((Decimal(hours) for status, _count, hours in rows if status != HELD), Decimal("0"))
    sessions = sum(count for _status, count, _hours in rows)
    return [
        DashboardCard(title=gettext("Mes classes"), value=str(classes), detail=gettext("classes retenues de vos actions en %(year)s", year=year.label),
                      url=url_for("PartnerRegistrationView.list")),
        DashboardCard(title=gettext("Mes séances"), value=str(sessions), detail=gettext("%(held)s tenues ; %(planned)s prévues", held=hours_text(held) or "0 h", planned=hours_text(planned) or "0 h"),
                      url=url_for("PartnerSessionView.list")),
    ]  # fmt: skip
