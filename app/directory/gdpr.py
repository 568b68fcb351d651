"""What the GDPR asks of the directory: export all held about a person, or anonymise them.

Anonymising keeps the person's row and links (classes taught, cooperatives
run, support contacts) so that every count stays right; only what identifies
the person is erased.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from app.directory.models import Classroom, Cooperative, Person, SupportContact
from app.extensions import db
from app.mail.service import forget_address, messages_to
from app.trainings.service import forget_person as forget_trainee
from app.trainings.service import personal_data as trainings_personal_data


def personal_data(person: Person) -> dict:
    """Everything the console holds about ``person``, as plain data."""
    classes = db.session.execute(select(Classroom).filter_by(teacher_id=person.id)).scalars()
    cooperatives = db.session.execute(select(Cooperative).filter_by(mandataire_id=person.id)).scalars()
    contacts = db.session.execute(select(SupportContact).filter_by(person_id=person.id)).scalars()
    return {
        "personne": {
            "civilité": person.civility,
            "prénom": person.first_name,
            "nom": person.last_name,
            "courriel": person.email,
            "téléphone": person.phone,
            "fonction": person.function,
            "école": str(person.school) if person.school else None,
            "anonymisée_le": person.anonymised_on.isoformat() if person.anonymised_on else None,
        },
        "mandataire_de": [cooperative.affiliation_number for cooperative in cooperatives],
        "classes": [
            {"année": str(c.school_year), "école": str(c.school), "classe": c.name, "niveaux": c.levels, "élèves": c.pupils}
            for c in classes
        ],
        "accompagnement": [
            {"date": c.contact_date.isoformat(), "canal": c.channel, "objet": c.subject, "réponse": c.answer} for c in contacts
        ],
        "courriels": messages_to(person.email),
        "formations": trainings_personal_data(person.email),
    }


def personal_data_json(person: Person) -> str:
    return json.dumps(personal_data(person), ensure_ascii=False, indent=2)


def anonymise(person: Person) -> None:
    """Erase what identifies ``person``; keep the row and its links (and the outbox's counts). Commits."""
    forget_address(person.email)
    forget_trainee(person)
    person.civility = None
    person.first_name = "Personne"
    person.last_name = f"anonymisée n° {person.id}"
    person.email = None
    person.phone = None
    person.anonymised_on = datetime.now().replace(microsecond=0)
    db.session.commit()
