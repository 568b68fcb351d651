"""The commission's decision, mailed to the cooperative's mandataire through the mail service."""

from __future__ import annotations

from app.aid.models import GRANTED, REFUSED, AidRequest
from app.aid.service import money
from app.mail import service as mail
from app.mail.recipients import (
    Recipient,
    RecipientList,
    greeting,
    person_fields,
    valid_address,
)
from app.plugins.info import MailTemplate

DECISION = "decision_aide"

TEMPLATES = (
    MailTemplate(
        code=DECISION,
        label="Décision de la commission des aides",
        description="Au mandataire de la coopérative, après la décision de la commission sur sa demande d'aide financière.",
        subject="{{ association.name }} : votre demande d'aide « {{ aid.title }} »",
        body=(
            "{{ greeting }}\n"
            "\n"
            "La commission des aides de l'{{ association.name }} a examiné le {{ aid.commission_on }} la demande de la coopérative "
            "n° {{ cooperative.affiliation_number }} ({{ school.name }}) pour le projet « {{ aid.title }} » "
            "(montant demandé : {{ aid.amount_requested }}).\n"
            "\n"
            "{% if aid.decision == 'accordee' %}Elle vous accorde une aide de {{ aid.amount_granted }}. "
            "Le versement suivra ; merci de nous envoyer le bilan du projet une fois celui-ci réalisé."
            "{% elif aid.decision == 'refusee' %}Elle n'a malheureusement pas pu retenir votre demande."
            "{% else %}Elle a ajourné sa décision à une prochaine commission.{% endif %}\n"
            "{% if aid.note %}\nRemarque de la commission : {{ aid.note }}\n{% endif %}"
            "\n"
            "Bien coopérativement,\n"
            "L'équipe de l'{{ association.name }}\n"
        ),
    ),
)


def decision_recipients(request: AidRequest) -> RecipientList:
    """The mandataire of the request's cooperative (or the reason there is none)."""
    cooperative = request.cooperative
    person = cooperative.mandataire
    recipients = RecipientList()
    if person is None or not valid_address(person.email):
        recipients.missing.append(f"Coopérative {cooperative.affiliation_number} : pas d'adresse de courriel pour le ou la mandataire.")
        return recipients
    mandataire = person_fields(person.civility, person.first_name, person.last_name, person.email)
    context = {
        "greeting": greeting(mandataire),
        "mandataire": mandataire,
        "cooperative": {"id": cooperative.id, "affiliation_number": cooperative.affiliation_number},
        "school": {"name": cooperative.school.name, "uai": cooperative.school.uai, "commune": cooperative.school.commune or ""},
        "aid": {
            "title": request.project_title,
            "decision": request.status,
            "commission_on": f"{request.commission_on:%d/%m/%Y}" if request.commission_on else "",
            "amount_requested": money(request.amount_requested),
            "amount_granted": money(request.amount_granted) if request.status == GRANTED else "",
            "refused": request.status == REFUSED,
            "note": request.decision_note or "",
        },
        "recipient": {"name": mandataire["name"], "email": person.email},
    }
    recipients.recipients.append(Recipient(email=person.email.strip(), name=mandataire["name"], cooperative_id=cooperative.id, context=context))
    return recipients


def notify_decision(request: AidRequest, user_id: int | None) -> bool:
    """Queue the decision mail; False (nothing queued) when the mandataire has no address."""
    recipients = decision_recipients(request)
    if not recipients.recipients:
        return False
    mail.queue(f"aid:{DECISION}", recipients, label=f"Décision d'aide : {request.project_title}"[:200], module="aid", user_id=user_id)
    return True
