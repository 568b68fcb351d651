"""Reminders to the mandataires of the cooperatives whose CRFS has not arrived, through the mail service."""

from __future__ import annotations

from app.accounts.models import due_date_for
from app.accounts.service import long_date
from app.mail import service as mail
from app.mail.recipients import RecipientList, mandataire_recipients
from app.plugins.info import MailTemplate

REMINDER = "relance_crfs"
TEMPLATE_KEY = f"accounts:{REMINDER}"

TEMPLATES = (
    MailTemplate(
        code=REMINDER,
        label="Relance d'un CRFS non reçu",
        description="Aux mandataires des coopératives dont le compte rendu financier simplifié (CRFS) n'est pas arrivé.",
        subject="{{ association.name }} : CRFS {{ crfs.year }} attendu",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Sauf erreur de notre part, nous n'avons pas reçu le compte rendu financier simplifié (CRFS) {{ crfs.year }} "
            "de la coopérative n° {{ cooperative.affiliation_number }} ({{ school.name }}), attendu le {{ crfs.due_on }}.\n"
            "\n"
            "Merci de nous l'adresser au plus vite avec :\n"
            "- le quitus signé par le ou la mandataire et deux vérificateurs aux comptes ;\n"
            "- le relevé bancaire d'août ;\n"
            "- les justificatifs des subventions reçues dans l'année, s'il y en a.\n"
            "\n"
            "Sans CRFS, la coopérative ne peut pas recevoir d'aide financière de l'association.\n"
            "N'hésitez pas à nous appeler si vous avez besoin d'aide pour l'établir.\n"
            "\n"
            "Bien coopérativement,\n"
            "L'équipe de l'{{ association.name }}\n"
        ),
    ),
)


def reminder_recipients(cooperatives, year) -> tuple[RecipientList, list]:
    """One recipient per cooperative (its mandataire); the cooperatives without an address."""
    crfs = {"year": year.label, "due_on": long_date(due_date_for(year))}
    return mandataire_recipients(((cooperative, [cooperative]) for cooperative in cooperatives), lambda _cooperative, _rows: {"crfs": crfs})


def preview_reminders(cooperatives, year) -> mail.Preview:
    recipients, _without = reminder_recipients(cooperatives, year)
    return mail.preview(TEMPLATE_KEY, recipients)


def send_reminders(cooperatives, year, user_id: int | None) -> tuple[int, list]:
    """Queue the reminders; return (mails queued, cooperatives without an address)."""
    recipients, without_address = reminder_recipients(cooperatives, year)
    if not recipients.recipients:
        return 0, without_address
    mail.queue(TEMPLATE_KEY, recipients, label=f"Relance des CRFS {year.label} non reçus", module="accounts", user_id=user_id)
    return len(recipients.recipients), without_address
