"""The trainings' mails: the invitation to a session and the cancellation of a session.

Both are rendered with a ``session`` dict (see :func:`session_fields`) passed
as an extra of the mailing, so that they also work from an action plugin
(THEA, Bals en liance, La Picardie en Poésie invite their teachers with
:func:`app.trainings.service.invite`).
"""

from __future__ import annotations

from app.mail.recipients import Recipient, RecipientList, greeting, person_fields, valid_address
from app.plugins.info import MailTemplate

INVITATION = "invitation"
CANCELLATION = "annulation"

SIGNATURE = "Bien coopérativement,\nL'équipe de l'{{ association.name }}\n"

TEMPLATES = (
    MailTemplate(
        code=INVITATION,
        label="Invitation à une session de formation",
        description="Invite des enseignant·es ou des mandataires à une session de formation (date, lieu, durée).",
        subject="{{ association.name }} : invitation à la formation « {{ session.title }} » le {{ session.date }}",
        body=(
            "{{ greeting }}\n"
            "\n"
            "L'{{ association.name }} vous invite à la formation « {{ session.title }} » :\n"
            "- date : {{ session.date }} à {{ session.time }}\n"
            "- lieu : {{ session.place }}\n"
            "- durée : {{ session.duration }}\n"
            "{% if session.description %}\n{{ session.description }}\n{% endif %}"
            "{% if message %}\n{{ message }}\n{% endif %}"
            "\n"
            "Pour vous inscrire, répondez à ce courriel{% if session.decision_on %} avant le {{ session.decision_on }}{% endif %}"
            " : les places sont limitées ({{ session.capacity }}).\n"
            "\n" + SIGNATURE
        ),
    ),
    MailTemplate(
        code=CANCELLATION,
        label="Annulation d'une session de formation",
        description="Prévient les inscrit·es qu'une session est annulée (par exemple faute d'un nombre suffisant d'inscrits).",
        subject="{{ association.name }} : la formation « {{ session.title }} » du {{ session.date }} est annulée",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Vous étiez inscrit·e à la formation « {{ session.title }} » prévue le {{ session.date }} à {{ session.time }}"
            " ({{ session.place }}).\n"
            "\n"
            "Nous sommes au regret de vous informer que cette session est annulée"
            "{% if session.reason %} : {{ session.reason }}{% endif %}.\n"
            "\n"
            "Nous vous tiendrons informé·e des prochaines sessions ; n'hésitez pas à nous contacter pour toute question.\n"
            "\n" + SIGNATURE
        ),
    ),
)


def registrant_recipients(registrations) -> RecipientList:
    """One recipient per registration (its name and address), the ones without a valid address reported in French."""
    result = RecipientList()
    seen: set[str] = set()
    for registration in registrations:
        email = (registration.email or "").strip()
        who = registration.name or email
        if not valid_address(email):
            result.missing.append(f"{who} : adresse invalide « {email} ».")
            continue
        if email.lower() in seen:
            result.merged += 1
            continue
        seen.add(email.lower())
        person = person_fields(registration.person.civility if registration.person else None, registration.first_name, registration.last_name, email)
        context = {"greeting": greeting(person), "recipient": {"name": person["name"] if person else "", "email": email}}
        result.recipients.append(Recipient(email=email, name=person["name"] if person else "", cooperative_id=registration.cooperative_id, context=context))
    return result
