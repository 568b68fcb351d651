"""Business rules of « Actions fédérales relayées », as plain functions over the session."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from app.actions import service as registrations
from app.actions.catalogue import ensure_action, slug
from app.actions.models import ACCEPTED, ACTIVE_STATUSES, COOPERATIVE_AUDIENCE, Action, Registration
from app.directory.models import Cooperative, Membership
from app.actions.figures import plugin_registrations
from app.extensions import db
from app.years.rollover import one_year_later

from .models import RelaisFederalAction, RelaisRelayedMail

CODE = "relais"

#: The federation's proposals the activity plan names (2025-2026), relayed by mail only.
DEMO_ACTIONS = (
    ("Consom'acteur", "Éducation à une consommation responsable : défis et ressources de la fédération.", "https://www.occe.coop/", 30),
    ("Lettres sur les droits de l'enfant", "Les classes écrivent sur les droits de l'enfant ; la fédération réunit les lettres.", "https://www.occe.coop/", 20),
)


def create_federal_action(year, name: str, **fields) -> RelaisFederalAction:
    """A relayed action of ``year``: the core action (joined by cooperatives) and its federal details. The caller commits."""
    details = {key: fields.pop(key) for key in ("federation_url", "federation_contact", "federal_deadline", "notes") if key in fields}
    action = ensure_action(year, fields.pop("code", None) or slug(name), name, plugin_code=CODE, audience=COOPERATIVE_AUDIENCE, **fields)
    found = db.session.execute(select(RelaisFederalAction).filter_by(action_id=action.id)).scalar_one_or_none()
    if found is None:
        found = RelaisFederalAction(action_id=action.id, school_year_id=year.id, **details)
        db.session.add(found)
        db.session.flush()
    return found


def participants(action: Action) -> list[Registration]:
    """The cooperatives taking part (registrations still alive), by affiliation number."""
    query = (
        select(Registration)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .filter(Registration.action_id == action.id, Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Cooperative.affiliation_number)
    )
    return list(db.session.execute(query).scalars())


def record_relay(action: Action, subject: str, summary: str | None, user_id: int | None, relayed_on: date | None = None) -> RelaisRelayedMail:
    """Note a federal mail relayed to the action's participants (counted now). The caller commits."""
    mail = RelaisRelayedMail(
        action_id=action.id,
        school_year_id=action.school_year_id,
        subject=subject,
        summary=summary,
        recipients=len(participants(action)),
        relayed_by_id=user_id,
        relayed_on=relayed_on or date.today(),
    )
    db.session.add(mail)
    return mail


def queue_relay(mail: RelaisRelayedMail, user_id: int | None = None):
    """Queue the relayed federal mail to the participants, personalised (core template « relais_federal »).

    Returns ``(batch, None)``, or ``(None, reason)`` in French when nothing
    was queued (no text to relay, nobody with an address). The caller commits.
    """
    from app.mail.service import relay_to_action

    if not (mail.summary or "").strip():
        return None, "rien n'a été envoyé aux participants : écrivez le texte à relayer dans « Résumé »."
    action = db.session.get(Action, mail.action_id)
    details = db.session.execute(select(RelaisFederalAction).filter_by(action_id=action.id)).scalar_one_or_none()
    extras = {"federation_url": details.federation_url if details else None}
    return relay_to_action(action, mail.subject, mail.summary, module=CODE, label=f"Relais : {mail.subject}", user_id=user_id, extras=extras)


def membership_problem(action: Action, cooperative) -> str | None:
    """Federal actions are for cooperatives affiliated that year (French reason, or None)."""
    found = db.session.execute(
        select(Membership.id).filter_by(cooperative_id=cooperative.id, school_year_id=action.school_year_id).limit(1)
    ).first()
    if found:
        return None
    return (
        f"La coopérative {cooperative.affiliation_number} n'a pas adhéré pour {action.school_year.label} : "
        "les actions fédérales sont réservées aux coopératives affiliées."
    )


def count_for(year) -> int:
    """Classes (or cooperatives) registered to this plugin's actions in ``year``, refusals and cancellations left out."""
    return plugin_registrations(CODE, year)


def copy_details(previous, year) -> int:
    """Give the actions carried over to ``year`` the federal details they had in ``previous``; return how many."""
    copied = 0
    for action in db.session.execute(select(Action).filter_by(school_year_id=year.id, plugin_code=CODE)).scalars():
        if db.session.execute(select(RelaisFederalAction.id).filter_by(action_id=action.id)).first():
            continue
        before = db.session.execute(
            select(RelaisFederalAction).join(Action, RelaisFederalAction.action_id == Action.id).filter(Action.school_year_id == previous.id, Action.code == action.code)
        ).scalar_one_or_none()
        db.session.add(
            RelaisFederalAction(
                action_id=action.id,
                school_year_id=year.id,
                federation_url=before.federation_url if before else None,
                federation_contact=before.federation_contact if before else None,
                federal_deadline=one_year_later(before.federal_deadline) if before else None,
                notes=before.notes if before else None,
            )
        )
        copied += 1
    db.session.flush()
    return copied


def add_demo(year) -> None:
    """The plan's two relayed actions for ``year``, joined by affiliated cooperatives; nothing when already there."""
    if db.session.execute(select(Action.id).filter_by(school_year_id=year.id, plugin_code=CODE).limit(1)).first():
        return
    rng = random.Random(f"relais-{year.label}")
    members = list(
        db.session.execute(select(Cooperative).join(Membership, Membership.cooperative_id == Cooperative.id).filter(Membership.school_year_id == year.id).order_by(Cooperative.id)).scalars()
    )
    opens_on, closes_on = date(year.start_date.year, 9, 1), date(year.start_date.year + 1, 3, 31)
    for name, description, url, taking_part in DEMO_ACTIONS:
        federal = create_federal_action(
            year, name, description=description, opens_on=opens_on, closes_on=closes_on, federation_url=url, federal_deadline=date(year.start_date.year + 1, 5, 15)
        )
        for cooperative in rng.sample(members, min(taking_part, len(members))):
            registration = registrations.register(federal.action, cooperative, today=opens_on, commit=False)
            db.session.flush()
            registrations.change_status(registration, ACCEPTED, reason="Démonstration", commit=False)
        record_relay(federal.action, f"{name} : lancement de l'action", "Premier envoi de la fédération, relayé aux coopératives inscrites.", None, relayed_on=date(year.start_date.year, 10, 6))
