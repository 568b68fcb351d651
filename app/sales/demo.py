"""Demonstration products and orders: the agenda coop for cycles 2 and 3, the calendar illustrated by pupils."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.directory.models import Cooperative
from app.extensions import db
from app.sales import service
from app.sales.models import CANCELLED, DELIVERED, Order, OrderLine, Product

PRODUCTS = (
    ("Agenda coop cycle 2", "agenda", 2, Decimal("6.50"), "Agenda coopératif pour développer les compétences psychosociales et le bien-être à l'école (CP, CE1, CE2)."),
    ("Agenda coop cycle 3", "agenda", 3, Decimal("6.50"), "Agenda coopératif pour développer les compétences psychosociales et le bien-être à l'école (CM1, CM2, 6e)."),
    ("Calendrier illustré par les élèves", "calendrier", None, Decimal("3.00"), "Calendrier de l'année civile illustré par des élèves, pour revente au profit de la coopérative."),
)
#: (products' quantities, status, delivery mode, paid share): ten orders in various states.
ORDERS = (
    ((25, 28, 0), DELIVERED, "secteur", 1),
    ((0, 0, 120), DELIVERED, "siege", 1),
    ((18, 0, 60), DELIVERED, "poste", 0.5),
    ((0, 31, 0), "commandee", "secteur", 0),
    ((22, 24, 80), "commandee", "siege", 1),
    ((12, 0, 0), DELIVERED, "secteur", 0),
    ((0, 0, 200), "commandee", "poste", 0),
    ((27, 26, 50), DELIVERED, "secteur", 1),
    ((0, 15, 40), CANCELLED, "siege", 0),
    ((30, 0, 90), "commandee", "secteur", 0.5),
)


def ensure_products(year) -> list[Product]:
    existing = {product.name: product for product in db.session.execute(select(Product).filter(Product.school_year_id == year.id)).scalars()}
    for name, kind, cycle, price, description in PRODUCTS:
        if name not in existing:
            existing[name] = Product(school_year_id=year.id, name=name, kind=kind, cycle=cycle, unit_price=price, active=True, description=description)
            db.session.add(existing[name])
    db.session.flush()
    return [existing[name] for name, *_rest in PRODUCTS]


def load_sales_demo(year) -> None:
    products = ensure_products(year)
    if db.session.execute(select(func.count(Order.id)).filter(Order.school_year_id == year.id)).scalar_one():
        return
    rng = random.Random(f"sales-{year.label}")
    cooperatives = list(db.session.execute(select(Cooperative).filter_by(status="active").order_by(Cooperative.id)).scalars())
    if not cooperatives:
        return
    # spread over the sectors: every n-th active cooperative (the demo assigns sectors in turn)
    step = max(len(cooperatives) // len(ORDERS), 1)
    for index, (quantities, status, mode, paid_share) in enumerate(ORDERS):
        cooperative = cooperatives[(index * step + rng.randrange(step)) % len(cooperatives)]
        ordered_on = year.start_date + timedelta(days=20 + 6 * index + rng.randint(0, 5))
        order = Order(school_year_id=year.id, cooperative_id=cooperative.id, ordered_on=ordered_on, status="commandee", delivery_mode=mode, amount_paid=Decimal("0.00"))
        for product, quantity in zip(products, quantities):
            if quantity:
                order.lines.append(OrderLine(product_id=product.id, product=product, quantity=quantity, unit_price=product.unit_price))
        service.refresh_totals(order)
        if paid_share:
            order.amount_paid = (Decimal(order.total) * Decimal(str(paid_share))).quantize(Decimal("0.01"))
            order.paid_on = ordered_on + timedelta(days=21)
            order.payment_method = rng.choice(("cheque", "virement"))
            order.payment_status = service.payment_status(Decimal(order.total), order.amount_paid)
        order.status = status
        if status == DELIVERED:
            order.delivered_on = ordered_on + timedelta(days=rng.randint(7, 20))
        db.session.add(order)
    db.session.flush()
