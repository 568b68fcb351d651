"""Payment reminders, sent through the mail service: one mail per cooperative, listing what is left to pay."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.mail import service as mail
from app.mail.recipients import RecipientList, by_cooperative, mandataire_recipients
from app.money import money
from app.plugins.info import MailTemplate
from app.sales.models import CANCELLED, Order

REMINDER = "relance_paiement_vente"

TEMPLATES = (
    MailTemplate(
        code=REMINDER,
        label="Relance de paiement d'une commande d'agendas ou de calendriers",
        description="Aux mandataires des coopératives dont une commande (agenda coop, calendrier) n'est pas entièrement payée.",
        subject="{{ association.name }} : règlement de votre commande",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Sauf erreur de notre part, la coopérative n° {{ cooperative.affiliation_number }} ({{ school.name }}) "
            "n'a pas encore entièrement réglé :\n"
            "{% for order in orders %}- la commande {{ order.number }} du {{ order.ordered_on }} ({{ order.copies }} exemplaire(s), {{ order.total }}) : "
            "reste à payer {{ order.left }}\n{% endfor %}"
            "\n"
            "Merci d'adresser votre règlement à l'association (chèque à l'ordre de l'{{ association.name }} ou virement), "
            "ou de nous signaler un paiement déjà envoyé.\n"
            "\n"
            "Bien coopérativement,\n"
            "L'équipe de l'{{ association.name }}\n"
        ),
    ),
)


def _unpaid(order: Order) -> bool:
    return order.status != CANCELLED and order.left_to_pay > 0


def reminder_recipients(orders: list[Order]) -> tuple[RecipientList, list[Order]]:
    """One recipient per cooperative (its mandataire) with its unpaid orders; the orders whose cooperative has no address."""

    def unpaid(_cooperative, group: list[Order]) -> dict:
        return {
            "orders": [
                {"number": order.number, "ordered_on": f"{order.ordered_on:%d/%m/%Y}", "copies": order.copies, "total": money(order.total), "left": money(order.left_to_pay)}
                for order in group
            ]
        }

    return mandataire_recipients(by_cooperative(order for order in orders if _unpaid(order)), unpaid)


def send_payment_reminders(orders: list[Order], user_id: int | None, today: date | None = None) -> tuple[int, list[Order], int]:
    """Queue the reminders and note the day on each order reminded.

    Returns (mails queued, unpaid orders without an address, orders skipped because nothing is left to pay).
    """
    today = today or date.today()
    skipped = sum(1 for order in orders if not _unpaid(order))
    recipients, without_address = reminder_recipients(orders)
    if not recipients.recipients:
        return 0, without_address, skipped
    mail.queue(f"sales:{REMINDER}", recipients, label="Relance des paiements de commandes", module="sales", user_id=user_id, commit=False)
    for order in orders:
        if _unpaid(order) and order not in without_address:
            order.payment_reminded_on = today
    db.session.commit()
    return len(recipients.recipients), without_address, skipped
