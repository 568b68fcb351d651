"""Who receives a mailing: the classes registered to an action, its cooperatives, the affiliated cooperatives.

Each helper runs one query over plain columns (no ORM object per row) and
returns a :class:`RecipientList`: the recipients, each with the
personalisation of its message, and, in French, every one left out because
no address is known (they are reported on the preview, never silently
dropped). An address appears once per mailing: a teacher with two classes
registered gets one message naming both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.actions.models import ACCEPTED, Action, Registration
from app.directory.models import Classroom, Cooperative, Membership, Person, School
from app.extensions import db
from app.mail.rendering import french_date
from app.years.models import SchoolYear

#: an ASCII address (what every SMTP server accepts without SMTPUTF8)
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

ACTION_AUDIENCE = "action"
AFFILIATED_AUDIENCE = "affiliees"


@dataclass
class Recipient:
    email: str
    name: str
    cooperative_id: int | None
    context: dict


@dataclass
class RecipientList:
    recipients: list[Recipient] = field(default_factory=list)
    #: French lines naming each class or cooperative left out, and why
    missing: list[str] = field(default_factory=list)
    #: messages saved by merging the same address (one teacher, several classes)
    merged: int = 0

    def __len__(self) -> int:
        return len(self.recipients)


def valid_address(email: str | None) -> bool:
    return bool(email) and bool(ADDRESS.match(email.strip()))


def person_fields(civility, first_name, last_name, email) -> dict | None:
    if not (first_name or last_name):
        return None
    name = " ".join(part for part in (first_name, last_name) if part)
    return {"civility": civility or "", "first_name": first_name or "", "last_name": last_name or "", "name": name, "email": email or ""}


def greeting(person: dict | None) -> str:
    """« Bonjour Mme Martin, », « Bonjour Claire Martin, » or « Bonjour, »."""
    if person and person["civility"] and person["last_name"]:
        return f"Bonjour {person['civility']} {person['last_name']},"
    if person and person["name"]:
        return f"Bonjour {person['name']},"
    return "Bonjour,"


def action_fields(action: Action | None) -> dict | None:
    if action is None:
        return None
    return {
        "code": action.code,
        "name": action.name,
        "description": action.description or "",
        "opens_on": french_date(action.opens_on),
        "closes_on": french_date(action.closes_on),
    }


class _Collector:
    """Builds the list: checks each address, merges duplicates, reports who is left out."""

    def __init__(self):
        self.result = RecipientList()
        self.by_address: dict[str, Recipient] = {}

    def add(self, email: str | None, person: dict | None, context: dict, cooperative_id: int | None, who: str, why_missing: str) -> None:
        email = (email or "").strip()
        if not email:
            self.result.missing.append(f"{who} : {why_missing}")
            return
        if not valid_address(email):
            self.result.missing.append(f"{who} : adresse invalide « {email} ».")
            return
        key = email.lower()
        found = self.by_address.get(key)
        if found is not None:
            classroom = context.get("classroom")
            if classroom and classroom not in found.context["classrooms"]:
                found.context["classrooms"].append(classroom)
            self.result.merged += 1
            return
        context = {**context, "recipient": {"name": person["name"] if person else "", "email": email}, "greeting": greeting(person)}
        context.setdefault("classrooms", [context["classroom"]] if context.get("classroom") else [])
        recipient = Recipient(email=email, name=person["name"] if person else "", cooperative_id=cooperative_id, context=context)
        self.by_address[key] = recipient
        self.result.recipients.append(recipient)


def by_cooperative(rows: Iterable) -> list[tuple[Cooperative, list]]:
    """Rows (loans, orders...) grouped by their ``cooperative``, in the order met."""
    groups: dict[int, tuple[Cooperative, list]] = {}
    for row in rows:
        groups.setdefault(row.cooperative_id, (row.cooperative, []))[1].append(row)
    return list(groups.values())


def mandataire_recipients(groups: Iterable[tuple[Cooperative, list]], details: Callable[[Cooperative, list], dict]) -> tuple[RecipientList, list]:
    """One recipient per cooperative, its mandataire, for a reminder about its rows.

    ``details(cooperative, rows)`` adds the template's own variables (the late
    loans, the unpaid orders...) to the shared ones: greeting, mandataire,
    cooperative, school, recipient. Also returns the rows of the cooperatives
    whose mandataire has no address (named in ``missing``, to be called instead).
    """
    recipients, without_address = RecipientList(), []
    for cooperative, rows in groups:
        person = cooperative.mandataire
        if person is None or not valid_address(person.email):
            without_address.extend(rows)
            recipients.missing.append(f"Coopérative {cooperative.affiliation_number} : pas d'adresse de courriel pour le ou la mandataire.")
            continue
        mandataire = person_fields(person.civility, person.first_name, person.last_name, person.email)
        name = mandataire["name"] if mandataire else ""
        context = {
            "greeting": greeting(mandataire),
            "mandataire": mandataire,
            "cooperative": {"id": cooperative.id, "affiliation_number": cooperative.affiliation_number},
            "school": {"name": cooperative.school.name, "uai": cooperative.school.uai, "commune": cooperative.school.commune or ""},
            **details(cooperative, rows),
            "recipient": {"name": name, "email": person.email},
        }
        recipients.recipients.append(Recipient(email=person.email.strip(), name=name, cooperative_id=cooperative.id, context=context))
    return recipients, without_address


def _school_and_coop(row) -> tuple[dict, dict, dict | None]:
    cooperative = {"id": row.coop_id, "affiliation_number": row.affiliation_number}
    school = {"name": row.school_name, "uai": row.uai, "commune": row.commune or ""}
    mandataire = person_fields(row.m_civility, row.m_first_name, row.m_last_name, row.m_email)
    return cooperative, school, mandataire


def action_recipients(action: Action, statuses: Iterable[str] = (ACCEPTED,)) -> RecipientList:
    """The classes registered to ``action`` with one of ``statuses`` (default: retenue).

    Each class's teacher receives the message, else the cooperative's
    mandataire; a cooperative registered as a whole: its mandataire.
    """
    teacher, mandataire = aliased(Person), aliased(Person)
    query = (
        select(
            Cooperative.id.label("coop_id"),
            Cooperative.affiliation_number,
            School.name.label("school_name"),
            School.uai,
            School.commune,
            mandataire.civility.label("m_civility"),
            mandataire.first_name.label("m_first_name"),
            mandataire.last_name.label("m_last_name"),
            mandataire.email.label("m_email"),
            Classroom.name.label("class_name"),
            Classroom.levels,
            Classroom.pupils,
            teacher.civility.label("t_civility"),
            teacher.first_name.label("t_first_name"),
            teacher.last_name.label("t_last_name"),
            teacher.email.label("t_email"),
        )
        .select_from(Registration)
        .join(Cooperative, Registration.cooperative_id == Cooperative.id)
        .join(School, Cooperative.school_id == School.id)
        .outerjoin(mandataire, Cooperative.mandataire_id == mandataire.id)
        .outerjoin(Classroom, Registration.classroom_id == Classroom.id)
        .outerjoin(teacher, Classroom.teacher_id == teacher.id)
        .filter(Registration.action_id == action.id, Registration.status.in_(list(statuses)))
        .order_by(School.name, Cooperative.affiliation_number, Classroom.name, Registration.id)
    )
    shared = {"action": action_fields(action)}
    collector = _Collector()
    for row in db.session.execute(query):
        cooperative, school, mandataire_fields = _school_and_coop(row)
        teacher_fields = person_fields(row.t_civility, row.t_first_name, row.t_last_name, row.t_email)
        classroom = {"name": row.class_name, "levels": row.levels, "pupils": row.pupils} if row.class_name else None
        context = {**shared, "cooperative": cooperative, "school": school, "mandataire": mandataire_fields, "classroom": classroom, "teacher": teacher_fields}
        if classroom is not None and teacher_fields and teacher_fields["email"]:
            email, person = teacher_fields["email"], teacher_fields
        else:
            email, person = (mandataire_fields or {}).get("email"), mandataire_fields
        if classroom is not None:
            who = f"Classe « {row.class_name} » ({row.school_name}, coopérative {row.affiliation_number})"
            why = "ni l'enseignant·e de la classe ni le ou la mandataire n'a d'adresse de courriel."
        else:
            who = f"Coopérative {row.affiliation_number} ({row.school_name})"
            why = "le ou la mandataire n'a pas d'adresse de courriel." if mandataire_fields else "aucun·e mandataire n'est enregistré·e."
        collector.add(email, person, context, row.coop_id, who, why)
    return collector.result


def _cooperative_rows(query) -> RecipientList:
    collector = _Collector()
    for row in db.session.execute(query):
        cooperative, school, mandataire_fields = _school_and_coop(row)
        context = {"cooperative": cooperative, "school": school, "mandataire": mandataire_fields, "classroom": None, "teacher": None}
        who = f"Coopérative {row.affiliation_number} ({row.school_name})"
        why = "le ou la mandataire n'a pas d'adresse de courriel." if mandataire_fields else "aucun·e mandataire n'est enregistré·e."
        collector.add((mandataire_fields or {}).get("email"), mandataire_fields, context, row.coop_id, who, why)
    return collector.result


def _cooperative_query(mandataire):
    return (
        select(
            Cooperative.id.label("coop_id"),
            Cooperative.affiliation_number,
            School.name.label("school_name"),
            School.uai,
            School.commune,
            mandataire.civility.label("m_civility"),
            mandataire.first_name.label("m_first_name"),
            mandataire.last_name.label("m_last_name"),
            mandataire.email.label("m_email"),
        )
        .select_from(Cooperative)
        .join(School, Cooperative.school_id == School.id)
        .outerjoin(mandataire, Cooperative.mandataire_id == mandataire.id)
        .order_by(School.name, Cooperative.affiliation_number)
    )


def cooperative_recipients(action: Action, statuses: Iterable[str] = (ACCEPTED,)) -> RecipientList:
    """The mandataires of the cooperatives taking part in ``action`` (a registration with one of ``statuses``)."""
    mandataire = aliased(Person)
    taking_part = select(Registration.cooperative_id).filter(Registration.action_id == action.id, Registration.status.in_(list(statuses)))
    result = _cooperative_rows(_cooperative_query(mandataire).filter(Cooperative.id.in_(taking_part)))
    for recipient in result.recipients:
        recipient.context["action"] = action_fields(action)
    return result


def previous_year(year: SchoolYear) -> SchoolYear | None:
    return db.session.execute(
        select(SchoolYear).filter(SchoolYear.start_date < year.start_date).order_by(SchoolYear.start_date.desc()).limit(1)
    ).scalar_one_or_none()


def affiliated_recipients(year: SchoolYear) -> RecipientList:
    """The mandataires of every active cooperative affiliated in ``year`` or the year before.

    The end-of-August proposals go out before the new year's memberships come
    in: last year's members are the audience, with this year's new ones.
    """
    mandataire = aliased(Person)
    years = [year.id] + ([before.id] if (before := previous_year(year)) else [])
    members = select(Membership.cooperative_id).filter(Membership.school_year_id.in_(years))
    query = _cooperative_query(mandataire).filter(Cooperative.status == "active", Cooperative.id.in_(members))
    result = _cooperative_rows(query)
    for recipient in result.recipients:
        recipient.context["action"] = None
    # each school's personal link to answer online (issued when missing; saved with the queued mails, never by a preview)
    from app.teachers.service import links_for

    urls = links_for([recipient.cooperative_id for recipient in result.recipients], year, commit=False)
    for recipient in result.recipients:
        recipient.context["lien_enseignant"] = urls.get(recipient.cooperative_id, "")
    return result
