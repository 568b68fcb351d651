"""Demonstration aid requests: six requests of the year, in every state of the workflow."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.aid import service
from app.aid.models import (
    ADJOURNED,
    CHEQUE,
    GRANTED,
    PROJECT,
    REFUSED,
    TRANSFER,
    TRANSPORT,
    AidRequest,
)
from app.directory.models import Classroom, Cooperative, School
from app.extensions import db

#: (preferred commune, kind, title, description, requested, outcome, granted, paid, method, report note)
REQUESTS = (
    ("Hirson", PROJECT, "Classe de découverte en Thiérache", "Trois jours à la ferme pédagogique pour les CE2-CM1 : hébergement et animations.", "1200.00", "bilan", "600.00", "600.00", TRANSFER, "Séjour réalisé, photos et carnet de bord joints."),
    ("Chauny", PROJECT, "Jardin pédagogique de l'école", "Bacs, outils et graines pour un potager cultivé par les trois classes.", "450.00", "versee", "350.00", "350.00", CHEQUE, None),
    ("Laon", TRANSPORT, "Transport : journée au musée de Chevregny", "Devis de car pour une classe de cycle 3 (aller-retour, une journée).", "320.00", "accordee", "320.00", None, None, None),
    ("Soissons", PROJECT, "Spectacle de fin d'année avec une compagnie", "Intervention d'une compagnie de théâtre : 6 séances et une représentation.", "900.00", "refusee", None, None, None, None),
    ("Saint-Quentin", PROJECT, "Journal scolaire coopératif", "Impression de trois numéros du journal rédigé en conseil de coopérative.", "250.00", "ajournee", None, None, None, None),
    ("Château-Thierry", PROJECT, "Rencontre chorale inter-écoles", "Transport et partitions pour la rencontre chorale du secteur.", "380.00", "recue", None, None, None, None),
)


def _cooperative_in(commune: str, taken: set[int]) -> Cooperative | None:
    query = (
        select(Cooperative)
        .join(School, Cooperative.school_id == School.id)
        .filter(Cooperative.status == "active", School.commune == commune, School.kind.in_(("elementaire", "primaire")), Cooperative.id.not_in(taken or {0}))
        .order_by(Cooperative.id)
        .limit(1)
    )
    return db.session.execute(query).scalar_one_or_none()


def load_aid_demo(year) -> None:
    """Idempotent: nothing is added when the year already has requests."""
    if db.session.execute(select(func.count(AidRequest.id)).filter(AidRequest.school_year_id == year.id)).scalar_one():
        return
    fallback = list(db.session.execute(select(Cooperative).filter_by(status="active").order_by(Cooperative.id).limit(20)).scalars())
    if not fallback:
        return
    taken: set[int] = set()
    for index, (commune, kind, title, description, requested, outcome, granted, paid, method, report) in enumerate(REQUESTS):
        cooperative = _cooperative_in(commune, taken) or next((coop for coop in fallback if coop.id not in taken), fallback[0])
        taken.add(cooperative.id)
        classroom = None
        if kind == TRANSPORT:
            classroom = db.session.execute(
                select(Classroom)
                .filter_by(school_id=cooperative.school_id, school_year_id=year.id)
                .order_by(Classroom.cycles.desc(), Classroom.name.desc())  # the oldest pupils go to the museum
                .limit(1)
            ).scalar_one_or_none()
        # September-October requests, a commission in late October, payments in November:
        # already past in the current year from December on
        received = year.start_date + timedelta(days=15 + 5 * index)
        commission = year.start_date + timedelta(days=50)
        item = service.create_request(
            cooperative, year, title, Decimal(requested), classroom=classroom, kind=kind, description=description, received_on=received, commit=False
        )
        if outcome == "recue":
            continue
        if outcome == "refusee":
            service.decide(item, None, commission, "Projet déjà financé par la mairie.", decision=REFUSED, commit=False)
            continue
        if outcome == "ajournee":
            service.decide(item, None, commission, "Budget détaillé demandé pour la prochaine commission.", decision=ADJOURNED, commit=False)
            continue
        service.decide(item, Decimal(granted), commission, None, decision=GRANTED, commit=False)
        if paid:
            service.pay(item, Decimal(paid), commission + timedelta(days=14), method, commit=False)
        if report:
            service.record_report(item, commission + timedelta(days=30), report, commit=False)
