"""Reminders of overdue loans, sent through the mail service: one mail per cooperative, listing its late items."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.loans.models import Loan
from app.mail import service as mail
from app.mail.recipients import RecipientList, by_cooperative, mandataire_recipients
from app.plugins.info import MailTemplate

REMINDER = "relance_pret"

TEMPLATES = (
    MailTemplate(
        code=REMINDER,
        label="Relance d'un prêt en retard",
        description="Aux mandataires des coopératives qui n'ont pas rendu une malle, un ouvrage ou un kit à la date prévue.",
        subject="{{ association.name }} : retour de prêt attendu",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Sauf erreur de notre part, la coopérative n° {{ cooperative.affiliation_number }} ({{ school.name }}) "
            "n'a pas encore rendu :\n"
            "{% for loan in loans %}- {{ loan.item }} : retour prévu le {{ loan.ends_on }} ({{ loan.days_late }} jours de retard)\n{% endfor %}"
            "\n"
            "D'autres classes l'attendent : merci de nous le rapporter au plus vite, ou de nous dire quand vous pourrez le faire.\n"
            "\n"
            "Bien coopérativement,\n"
            "L'équipe de l'{{ association.name }}\n"
        ),
    ),
)


def reminder_recipients(loans: list[Loan], today: date) -> tuple[RecipientList, list[Loan]]:
    """One recipient per cooperative (its mandataire), with its late loans; the loans whose cooperative has no address."""

    def late(_cooperative, group: list[Loan]) -> dict:
        return {"loans": [{"item": str(loan.item), "ends_on": f"{loan.ends_on:%d/%m/%Y}", "days_late": (today - loan.ends_on).days} for loan in group]}

    return mandataire_recipients(by_cooperative(loans), late)


def send_reminders(loans: list[Loan], user_id: int | None, today: date | None = None) -> tuple[int, list[Loan]]:
    """Queue the reminders and note the day on each loan; return (mails queued, loans without an address)."""
    today = today or date.today()
    recipients, without_address = reminder_recipients(loans, today)
    if not recipients.recipients:
        return 0, without_address
    mail.queue(f"loans:{REMINDER}", recipients, label="Relance des prêts en retard", module="loans", user_id=user_id, commit=False)
    for loan in loans:
        if loan not in without_address:
            loan.reminded_on = today
    db.session.commit()
    return len(recipients.recipients), without_address
