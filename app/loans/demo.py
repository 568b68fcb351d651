"""Demonstration items and loans: returned loans in past years; out, overdue and booked ones this year."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from app.directory.models import Cooperative
from app.extensions import db
from app.loans.models import OUT, RESERVED, RETURNED, Loan, LoanItem
from app.years.service import current_year

TRUNKS = (
    ("MT-01", "Jeux coopératifs de plateau", "6 jeux de plateau coopératifs\nLivret d'accompagnement\nFiches règles plastifiées"),
    ("MT-02", "Jeux coopératifs physiques", "Parachute 6 m\n12 foulards\n4 ballons mous\nLivret d'accompagnement"),
    ("MT-03", "Discussions à visée philosophique", "15 albums jeunesse\nBâton de parole\nLivret d'accompagnement"),
    ("MT-04", "Émotions", "Roue des émotions\n20 cartes émotions\n8 albums\nLivret d'accompagnement"),
    ("MT-05", "Droits de l'enfant", "Exposition 10 panneaux\n12 albums\nLivret d'accompagnement"),
    ("MT-06", "Conseil de coopérative", "Cahier du conseil\nBoîte à idées\nAffiches des rôles\nLivret d'accompagnement"),
    ("MT-07", "Message clair", "Affiches du message clair\n24 cartes situations\nLivret d'accompagnement"),
    ("MT-08", "Confiance en soi", "Jeux de confiance\n10 albums\nLivret d'accompagnement"),
)
BOOKS = (
    ("OP-01", "L'argent à l'école : guide du mandataire", "Guide\nModèles de documents"),
    ("OP-02", "Le conseil de coopérative pas à pas", "Ouvrage"),
    ("OP-03", "Jeux coopératifs pour bâtir la paix", "Ouvrage"),
    ("OP-04", "Philosopher avec les enfants", "Ouvrage"),
)


def ensure_items() -> None:
    if db.session.execute(select(func.count(LoanItem.id))).scalar_one():
        return
    for code, name, checklist in TRUNKS:
        db.session.add(LoanItem(kind="malle_thematique", code=code, name=name, checklist=checklist, location="Siège OCCE 02, Laon"))
    for code, name, checklist in BOOKS:
        db.session.add(LoanItem(kind="ouvrage_pedagogique", code=code, name=name, checklist=checklist, location="Bibliothèque du siège"))
    db.session.flush()


def load_loans_demo(year) -> None:
    ensure_items()
    if db.session.execute(select(func.count(Loan.id)).filter(Loan.school_year_id == year.id)).scalar_one():
        return
    rng = random.Random(f"loans-{year.label}")
    items = list(db.session.execute(select(LoanItem).order_by(LoanItem.code)).scalars())
    cooperatives = list(db.session.execute(select(Cooperative).filter_by(status="active").order_by(Cooperative.id)).scalars())
    current = current_year()
    today = date.today()
    for item in items:
        day = year.start_date + timedelta(days=rng.randint(10, 25))
        while day < year.end_date - timedelta(days=30):
            length = rng.choice((14, 21, 28))
            end = day + timedelta(days=length)
            if current is not None and year.id == current.id and day > today:
                status = RESERVED
            elif current is not None and year.id == current.id and end >= today - timedelta(days=10) and day <= today:
                status = OUT  # some of these are already late: a real overdue list
            else:
                status = RETURNED
            db.session.add(
                Loan(
                    item_id=item.id,
                    cooperative_id=rng.choice(cooperatives).id,
                    school_year_id=year.id,
                    starts_on=day,
                    ends_on=end,
                    status=status,
                    checked_out_on=day if status != RESERVED else None,
                    checkout_checklist=item.checklist if status != RESERVED else None,
                    returned_on=end if status == RETURNED else None,
                    return_condition="bon" if status == RETURNED else None,
                )
            )
            item.bookings += 1
            day = end + timedelta(days=rng.randint(3, 40))
