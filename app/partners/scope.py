"""The rows a partner account may see: the registrations of its organisation's actions, its own sessions.

Every function answers for the person signed in. An account of the
Partenaire role that is tied to no organisation sees nothing (never
everything): the safe default when an administrator forgot the link.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from app.actions.models import ACCEPTED, DONE
from app.extensions import db
from app.partners.models import ActionPartner, PartnerAccount

#: What a partner sees of a class: only the registrations the staff retained.
VISIBLE_STATUSES = (ACCEPTED, DONE)
NO_ROW = -1


def current_partner_id() -> int | None:
    user = getattr(g, "user", None) if has_request_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.execute(select(PartnerAccount.partner_id).where(PartnerAccount.user_id == user.id)).scalar_one_or_none()


def my_partner_id() -> int:
    """For ``FilterEqualFunction``: the signed-in account's organisation, or an id no row has."""
    partner_id = current_partner_id()
    return NO_ROW if partner_id is None else partner_id


def action_ids_of(partner_id: int | None) -> list[int]:
    if partner_id is None:
        return []
    return list(db.session.execute(select(ActionPartner.action_id).where(ActionPartner.partner_id == partner_id)).scalars())


def my_action_ids() -> list[int]:
    """For ``FilterInFunction``: the actions the signed-in account's organisation works on."""
    return action_ids_of(current_partner_id())


def visible_statuses() -> list[str]:
    return list(VISIBLE_STATUSES)


def my_visible_registration_ids() -> list[int]:
    """For ``FilterInFunction`` on a plugin's per-class table: the retained classes of the account's actions, viewed year."""
    from app.actions.models import Registration
    from app.actions.views import viewed_year_id

    actions = my_action_ids()
    if not actions:
        return []
    query = select(Registration.id).filter(
        Registration.action_id.in_(actions), Registration.school_year_id == viewed_year_id(), Registration.status.in_(VISIBLE_STATUSES)
    )
    return list(db.session.execute(query).scalars())


def is_partner_only(user) -> bool:
    """An account whose only role is Partenaire: it sees its own dashboard, never the association's figures."""
    from app.security.roles import PARTENAIRE

    roles = {role.name for role in getattr(user, "roles", None) or []}
    return roles == {PARTENAIRE}
