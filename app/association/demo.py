"""Demonstration board, meetings, decisions, working groups and partners (fictional people, the plan's partners).

Deterministic and idempotent: every row is looked up by its natural key
before being added, so ``flask occe demo`` run twice adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.association.models import (
    AG_DEPARTMENTAL, BOARD, COMMISSION, EXCUSED, PRESENT, REPRESENTED, BoardMember, Decision, Meeting, MeetingAttendee, Partner,
    PartnerAdvantage, PartnerContact, WorkingGroup, WorkingGroupMember,
)  # fmt: skip
from app.extensions import db
from app.uploads.service import store_bytes

# A clearly fictional board (names made up; addresses on the reserved example domain).
BOARD_MEMBERS = (
    ("Martine", "Lefranc-Démo", "president", "Laon"),
    ("Olivier", "Carpentier-Démo", "vice_president", "Soissons"),
    ("Nadia", "Benali-Démo", "tresorier", "Saint-Quentin"),
    ("Julien", "Vasseur-Démo", "tresorier_adjoint", "Chauny"),
    ("Sophie", "Delattre-Démo", "secretaire", "Château-Thierry"),
    ("Karim", "Haddad-Démo", "membre", "Hirson"),
    ("Élodie", "Marchand-Démo", "membre", "Laon"),
    ("Thierry", "Dumont-Démo", "membre", "Guise"),
    ("Camille", "Roussel-Démo", "membre", "Villers-Cotterêts"),
)

PARTNERS = (
    ("Musée de l'École publique de Chevregny", "musee", "Rue de l'École, 02000 Chevregny", "",
     "Deux journées coopératives (2 × 6 classes du CP au CM2) : visite, écritures coopératives, monument aux morts, chasse au trésor, jeux coopératifs.",
     (("Accueil", "des groupes", "Réservation des journées coopératives"),),
     ("Entrée prise en charge par l'OCCE 02 pour les classes des journées coopératives", "Aide au transport pour les classes inscrites")),
    ("Théâtre de La Mascara", "compagnie", "", "", "Intervenante de THEA 02 : Aurélie Videlier.",
     (("Aurélie", "Videlier", "Comédienne, intervenante THEA 02"),), ()),
    ("Caravane d'Art - Cie Allant Vers", "compagnie", "", "", "Interventions pour Bals en liance 02 et THEA 02.",
     (("Alex Sander", "Dos Santos", "Intervenant Bals en liance 02"), ("Chuca", "Tolédo", "Intervenante THEA 02")), ()),
    ("Éditions L'ail des ours", "editeur", "", "", "La Picardie en poésie, avec Michel Fiévet.",
     (("Michel", "Fiévet", "Éditeur, intervenant La Picardie en poésie"),), ()),
    ("Atelier Canopé 02", "institution", "Laon", "", "Ressources pédagogiques et formations.", (), ()),
    ("INSPE, site de Laon", "institution", "Laon", "", "Forum pour les futurs et nouveaux enseignants (une matinée).", (), ()),
    ("DSDEN de l'Aisne", "institution", "Laon", "", "Services départementaux de l'Éducation nationale.", (), ()),
    ("USEP 02", "association", "", "", "Union sportive de l'enseignement du premier degré de l'Aisne.", (), ()),
    ("Musée des villages d'antan", "musee", "", "", "", (), ("Tarif réduit sur les entrées pour les classes adhérentes",)),
    ("Nausicaá", "musee", "Boulogne-sur-Mer", "", "", (), ("Réduction sur les entrées des classes adhérentes",)),
    ("Lire c'est partir", "editeur", "", "", "", (), ("Livres à prix réduit pour les coopératives adhérentes",)),
)

WORKING_GROUPS = (
    ("Chantier vie associative : « Conseil de coopérative d'adultes »", "Faire vivre la coopération entre adultes de l'association.", True),
    ("Groupe de travail fédéral : poésie coopérative", "Préparer avec la fédération les ressources de poésie coopérative.", False),
)


def _one(query):
    return db.session.execute(query).scalars().first()


def ensure_board(start: date) -> list[BoardMember]:
    members = []
    for index, (first, last, function, _town) in enumerate(BOARD_MEMBERS):
        member = _one(select(BoardMember).filter_by(first_name=first, last_name=last))
        if member is None:
            slug = last.lower().replace("-démo", "").replace("é", "e").replace(" ", "")
            member = BoardMember(
                first_name=first,
                last_name=last,
                function=function,
                email=f"{first.lower().replace('é', 'e')}.{slug}@example.org",
                phone=f"03 23 00 0{index} {10 + index}",
                elected_on=date(start.year - (index % 3), 11, 20),
                term_ends_on=date(start.year - (index % 3) + 3, 11, 30),
                active=True,
            )
            db.session.add(member)
        members.append(member)
    db.session.flush()
    return members


def ensure_partners(start: date) -> None:
    for name, kind, address, website, notes, contacts, advantages in PARTNERS:
        partner = _one(select(Partner).filter_by(name=name))
        if partner is not None:
            continue
        partner = Partner(name=name, kind=kind, address=address or None, website=website or None, notes=notes or None, active=True)
        for first, last, function in contacts:
            partner.contacts.append(PartnerContact(first_name=first, last_name=last, function=function))
        for description in advantages:
            partner.advantages.append(PartnerAdvantage(description=description, valid_from=start))
        db.session.add(partner)
    db.session.flush()


def ensure_groups(year, members: list[BoardMember]) -> list[WorkingGroup]:
    groups = []
    for index, (name, purpose, permanent) in enumerate(WORKING_GROUPS):
        year_id = None if permanent else year.id
        group = _one(select(WorkingGroup).filter_by(name=name, school_year_id=year_id))
        if group is None:
            group = WorkingGroup(name=name, purpose=purpose, school_year_id=year_id, active=True)
            for member in members[index * 3 : index * 3 + 3]:
                group.members.append(WorkingGroupMember(board_member=member, role="Référent·e" if member is members[index * 3] else None))
            group.members.append(WorkingGroupMember(name="Animatrice départementale OCCE 02", role="Animation"))
            db.session.add(group)
        groups.append(group)
    db.session.flush()
    return groups


def _meetings(year, group: WorkingGroup) -> list[tuple]:
    first = year.start_date.year
    return [
        (BOARD, "Conseil d'administration — 1re période", datetime(first, 10, 14, 18, 0), "Siège de l'OCCE 02, Laon",
         "Rentrée et adhésions\nCRFS reçus\nCalendrier des actions", None),
        (COMMISSION, "Commission vie associative", datetime(first, 11, 25, 17, 30), "École élémentaire, Chauny",
         "Conseil de coopérative d'adultes : bilan et suites", group),
        (BOARD, "Conseil d'administration — 2e période", datetime(first + 1, 2, 3, 18, 0), "Siège de l'OCCE 02, Laon",
         "Point financier\nAides aux projets\nPréparation de l'assemblée générale", None),
        (AG_DEPARTMENTAL, "Assemblée générale départementale", datetime(first + 1, 3, 21, 9, 30), "Salle des fêtes, Soissons",
         "Rapport moral\nRapport financier et quitus\nÉlection au conseil d'administration", None),
        (BOARD, "Conseil d'administration — 3e période", datetime(first + 1, 6, 9, 18, 0), "Siège de l'OCCE 02, Laon",
         "Bilan des actions\nProjet d'activité de l'année suivante", None),
    ]


DECISIONS = {
    "Conseil d'administration — 1re période": (
        ("Le montant de la cotisation par élève est maintenu pour l'année.", (8, 0, 1), "Trésorier·ère", 0, True),
        ("Deux journées coopératives au Musée de l'École publique de Chevregny sont organisées.", (9, 0, 0), "Animatrice départementale", 60, True),
    ),
    "Conseil d'administration — 2e période": (
        ("Une aide au transport est accordée aux classes inscrites aux journées de Chevregny.", (7, 1, 1), "Trésorier·ère", 45, False),
        ("Le rapport d'activité est préparé par le bureau pour l'assemblée générale.", None, "Secrétaire", 40, False),
    ),
    "Assemblée générale départementale": (
        ("Le rapport financier est approuvé et quitus est donné au conseil d'administration.", (112, 0, 3), "Présidente", 0, True),
    ),
}


def minutes_pdf(meeting: Meeting) -> bytes:
    """A short, clearly fictional set of minutes for a past demonstration meeting."""
    from app.documents.render import PdfDocument

    doc = PdfDocument(f"Compte rendu — {meeting.title}")
    doc.add_page()
    present = sum(1 for attendee in meeting.attendees if attendee.presence in (PRESENT, REPRESENTED))
    doc.heading(
        f"Compte rendu — {meeting.title}",
        f"{meeting.starts_at:%d/%m/%Y}, {meeting.place}",
        details=["Document de démonstration (fictif).", f"{present} présent(s) ou représenté(s)."],
    )
    doc.data_table(["N°", "Décision"], [[decision.number, decision.text] for decision in meeting.decisions], empty="Aucune décision.")
    return doc.to_bytes()


def load_association_demo(year) -> None:
    members = ensure_board(year.start_date)
    ensure_partners(year.start_date)
    groups = ensure_groups(year, members)
    now = datetime.now()
    for kind, title, starts_at, place, agenda, group in _meetings(year, groups[0]):
        if _one(select(Meeting).filter_by(school_year_id=year.id, title=title)) is not None:
            continue
        meeting = Meeting(school_year_id=year.id, kind=kind, title=title, starts_at=starts_at, place=place, agenda=agenda, working_group=group)
        db.session.add(meeting)
        if starts_at < now:
            meeting.minutes_approved_on = (starts_at + timedelta(days=35)).date() if starts_at + timedelta(days=35) < now else None
            attending = members if kind != COMMISSION else [member for member in members if member in [m.board_member for m in group.members]]
            for index, member in enumerate(attending):
                presence = EXCUSED if index % 5 == 4 else REPRESENTED if index % 7 == 6 else PRESENT
                meeting.attendees.append(MeetingAttendee(board_member=member, presence=presence))
            meeting.attendees.append(MeetingAttendee(name="Animatrice départementale OCCE 02", presence=PRESENT))
            for number, (text, votes, owner, due_days, done) in enumerate(DECISIONS.get(title, ()), start=1):
                for_, against, abstention = votes or (None, None, None)
                due_on = (starts_at + timedelta(days=due_days)).date() if due_days else None
                meeting.decisions.append(
                    Decision(
                        number=number, text=text, votes_for=for_, votes_against=against, votes_abstention=abstention, owner=owner, due_on=due_on,
                        done_on=(due_on or starts_at.date()) if done and (due_on or starts_at.date()) <= now.date() else None,
                    )
                )  # fmt: skip
            if meeting.minutes_approved_on is not None:
                meeting.minutes_file = store_bytes(f"compte-rendu-{starts_at:%Y-%m-%d}.pdf", minutes_pdf(meeting), "pdf", flush=False)
    db.session.flush()
