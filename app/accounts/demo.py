"""Demonstration CRFS and account checks: the campaign run during ``year`` (CRFS of the year before)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.accounts.models import SUBSIDIES_NA, SUBSIDIES_NO, SUBSIDIES_YES, AccountCheck, Crfs, due_date_for
from app.accounts.service import expected_cooperatives_query, previous_year
from app.directory.models import Cooperative
from app.extensions import db

CHECKERS = ("Martine Lefèvre (vérificatrice bénévole, Laon)", "Patrick Dubois (OCCE 02)", "Sylvie Caron (vérificatrice bénévole, Soissons)")


def _euros(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def load_accounts_demo(year, today: date | None = None) -> None:
    """CRFS of the year before ``year`` for the expected cooperatives, and two account checks; once."""
    before = previous_year(year)
    if before is None:
        return
    if db.session.execute(select(func.count(Crfs.id)).filter(Crfs.school_year_id == before.id)).scalar_one():
        return
    today = today or date.today()
    rng = random.Random(f"accounts-{before.label}")
    due_on = due_date_for(before)
    cooperatives = list(db.session.execute(expected_cooperatives_query(before).order_by(Cooperative.id)).scalars())
    reports = []
    for index, cooperative in enumerate(cooperatives):
        kind = index % 10
        if kind == 9 or index == len(cooperatives) - 1:
            continue  # missing: no CRFS at all (the last expected cooperative always)
        opening = _euros(rng, 300, 6000)
        income = _euros(rng, 1500, 14000)
        expenses = min(opening + income, _euros(rng, 1500, 14000))
        report = Crfs(
            cooperative_id=cooperative.id,
            school_year_id=before.id,
            due_on=due_on,
            opening_balance=opening,
            income=income,
            expenses=expenses,
            closing_balance=opening + income - expenses,
            quitus_signed=True,
            bank_statement=True,
            subsidies_proofs=SUBSIDIES_YES if rng.random() < 0.6 else SUBSIDIES_NA,
        )
        if kind == 1:  # received late
            report.received_on = min(today, due_on + timedelta(days=rng.randint(3, 40)))
        elif kind == 3:  # received, the August statement is missing
            report.received_on = min(today, due_on - timedelta(days=rng.randint(0, 10)))
            report.bank_statement = False
        elif kind == 6:  # recorded, not received
            report.quitus_signed = report.bank_statement = False
            report.subsidies_proofs = SUBSIDIES_NO
        else:  # on time
            report.received_on = min(today, due_on - timedelta(days=rng.randint(0, 25)))
        reports.append(report)
    db.session.add_all(reports)
    db.session.flush()
    received = [report for report in reports if report.received_on is not None]
    if not received:
        return
    odd = received[len(received) // 2]
    odd.closing_balance = odd.closing_balance + Decimal("120.00")
    odd.anomalies = "Solde de fin différent du relevé bancaire d'août (écart de 120 €) ; facture de la sortie à Chauny sans justificatif."
    year_start = year.start_date
    db.session.add_all(
        [
            AccountCheck(
                cooperative_id=odd.cooperative_id,
                school_year_id=year.id,
                origin="crfs",
                crfs_id=odd.id,
                requested_on=min(today, year_start + timedelta(days=45)),
                visit_on=min(today, year_start + timedelta(days=60)),
                visited_by=CHECKERS[0],
                advice="Rapprocher chaque mois le cahier de comptes et le relevé bancaire ; garder toutes les factures.",
                documents_sent="Guide du mandataire ; modèle de cahier de comptes.",
                outcome="a_regulariser",
                outcome_notes="Facture retrouvée ; écart de caisse à justifier avant le prochain CRFS.",
            ),
            AccountCheck(
                cooperative_id=received[0].cooperative_id,
                school_year_id=year.id,
                origin="cac",
                crfs_id=received[0].id,
                requested_on=min(today, year_start + timedelta(days=30)),
                visit_on=min(today, year_start + timedelta(days=50)),
                visited_by=CHECKERS[1],
                advice="Tenue des comptes correcte ; penser à faire signer le quitus par deux vérificateurs.",
                documents_sent="Modèle de quitus.",
                outcome="conformes",
                closed_on=min(today, year_start + timedelta(days=52)),
            ),
        ]
    )
    db.session.flush()
