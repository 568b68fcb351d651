"""The convocation of a meeting, mailed to the active board members through the mail service."""

from __future__ import annotations

from app.association.models import Meeting
from app.association.service import active_members
from app.mail import service as mail
from app.mail.recipients import Recipient, RecipientList, greeting, person_fields, valid_address
from app.plugins.info import MailTemplate

CONVOCATION = "convocation_reunion"

TEMPLATES = (
    MailTemplate(
        code=CONVOCATION,
        label="Convocation à une réunion",
        description="Aux membres du conseil d'administration en fonction : date, lieu et ordre du jour d'une réunion (Vie associative › Réunions).",
        subject="{{ association.name }} : convocation — {{ meeting.title }} du {{ meeting.day }}",
        body=(
            "{{ greeting }}\n"
            "\n"
            "Vous êtes convoqué·e à la réunion « {{ meeting.title }} » ({{ meeting.kind }}), "
            "le {{ meeting.day }} à {{ meeting.time }}{% if meeting.place %}, {{ meeting.place }}{% endif %}.\n"
            "{% if meeting.agenda %}\n"
            "Ordre du jour :\n"
            "{% for line in meeting.agenda %}- {{ line }}\n{% endfor %}"
            "{% endif %}"
            "\n"
            "En cas d'empêchement, merci de nous prévenir et, si vous le souhaitez, de donner pouvoir à un autre membre du conseil.\n"
            "\n"
            "Bien coopérativement,\n"
            "L'équipe de l'{{ association.name }}\n"
        ),
    ),
)


def _meeting_fields(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "kind": meeting.kind_label,
        "day": f"{meeting.starts_at:%d/%m/%Y}",
        "time": f"{meeting.starts_at:%H:%M}",
        "place": meeting.place or "",
        "agenda": [line.strip() for line in (meeting.agenda or "").splitlines() if line.strip()],
    }


def convocation_recipients(meeting: Meeting) -> RecipientList:
    """One message per active board member with an address; the others are named in ``missing``."""
    recipients = RecipientList()
    fields = _meeting_fields(meeting)
    for member in active_members():
        if not valid_address(member.email):
            recipients.missing.append(f"{member.full_name} : pas d'adresse de courriel valide.")
            continue
        person = person_fields("", member.first_name, member.last_name, member.email)
        context = {"greeting": greeting(person), "meeting": fields, "recipient": {"name": member.full_name, "email": member.email.strip()}}
        recipients.recipients.append(Recipient(email=member.email.strip(), name=member.full_name, cooperative_id=None, context=context))
    return recipients


def send_convocation(meeting: Meeting, user_id: int | None) -> tuple[int, list[str]]:
    """Queue the convocation; return (messages queued, French lines for the members left out). Raises ValueError when nobody has an address."""
    recipients = convocation_recipients(meeting)
    mail.queue(f"association:{CONVOCATION}", recipients, label=f"Convocation : {meeting.title}"[:200], module="association", user_id=user_id)
    return len(recipients.recipients), list(recipients.missing)
