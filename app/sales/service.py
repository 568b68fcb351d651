"""Orders: placing, changing quantities, delivering, payments, cancelling; totals per product and sector.

Every change of an order goes through here, so that its stored ``copies``,
``total`` and ``payment_status`` always agree with its lines and payments.
Refusals raise :class:`SaleRefused` with a French sentence and change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.directory.models import Cooperative, Sector
from app.extensions import db
from app.money import CENT, money
from app.sales.models import (
    CANCELLED,
    DELIVERED,
    DELIVERY_MODES,
    ORDERED,
    PAID,
    PART_PAID,
    PAYMENT_METHODS,
    TO_PAY,
    Order,
    OrderLine,
    Product,
)

MAX_QUANTITY = 10000
ZERO = Decimal("0.00")


class SaleRefused(ValueError):
    """An order change the rules refuse, with a French reason."""


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def products_on_sale(year, include: tuple[int, ...] = ()) -> list[Product]:
    """The active products of ``year`` (plus the products ``include``d, already in an order), in catalogue order."""
    query = select(Product).filter(Product.school_year_id == year.id)
    rows = db.session.execute(query.order_by(Product.kind, Product.cycle, Product.name)).scalars()
    return [product for product in rows if product.active or product.id in include]


def payment_status(total: Decimal, paid: Decimal) -> str:
    if paid <= ZERO and total > ZERO:
        return TO_PAY
    return PAID if paid >= total else PART_PAID


def refresh_totals(order: Order) -> None:
    """Recompute the stored copies, total and payment status from the lines and the amount paid."""
    order.copies = sum(line.quantity for line in order.lines)
    order.total = sum((line.amount for line in order.lines), ZERO).quantize(CENT)
    order.payment_status = payment_status(Decimal(order.total), Decimal(order.amount_paid or 0))


def _check_quantities(year, quantities: Mapping[Product, int], allowed: tuple[int, ...] = ()) -> dict[Product, int]:
    wanted = {product: quantity for product, quantity in quantities.items() if quantity}
    for product, quantity in wanted.items():
        if product.school_year_id != year.id or not (product.active or product.id in allowed):
            raise SaleRefused(_("« %(product)s » n'est pas en vente pour l'année %(year)s.", product=product.name, year=year.label))
        if not isinstance(quantity, int) or quantity < 0 or quantity > MAX_QUANTITY:
            raise SaleRefused(_("Quantité invalide pour « %(product)s » : un nombre entier de 0 à %(max)s.", product=product.name, max=MAX_QUANTITY))
    if not wanted:
        raise SaleRefused(_("Indiquez une quantité pour au moins un produit."))
    return wanted


def _check_details(delivery_mode: str, ordered_on: date | None) -> None:
    if delivery_mode not in DELIVERY_MODES:
        raise SaleRefused(_("Choisissez le mode de livraison."))
    if ordered_on is None:
        raise SaleRefused(_("Indiquez la date de la commande."))


def place_order(
    cooperative: Cooperative,
    year,
    quantities: Mapping[Product, int],
    *,
    ordered_on: date | None = None,
    delivery_mode: str = "siege",
    note: str | None = None,
    user_id: int | None = None,
) -> Order:
    """A new order of ``cooperative`` for ``year``; unit prices copied from the products. Commits."""
    if cooperative is None:
        raise SaleRefused(_("Choisissez la coopérative qui commande."))
    ordered_on = ordered_on or date.today()
    _check_details(delivery_mode, ordered_on)
    wanted = _check_quantities(year, quantities)
    order = Order(
        school_year_id=year.id,
        cooperative_id=cooperative.id,
        ordered_on=ordered_on,
        status=ORDERED,
        delivery_mode=delivery_mode,
        amount_paid=ZERO,
        note=note,
        created_by_id=user_id,
    )
    for product, quantity in wanted.items():
        order.lines.append(OrderLine(product_id=product.id, product=product, quantity=quantity, unit_price=product.unit_price))
    refresh_totals(order)
    db.session.add(order)
    db.session.commit()
    return order


def change_order(
    order: Order,
    quantities: Mapping[Product, int],
    *,
    ordered_on: date | None,
    delivery_mode: str,
    note: str | None = None,
    version: int | str | None = None,
) -> Order:
    """New quantities (and details) for an order not yet delivered; kept lines keep their price. Commits."""
    if version is not None and str(version) != str(order.version):
        raise SaleRefused(
            _("Cette commande a été modifiée par quelqu'un d'autre depuis que vous l'avez ouverte : rien n'a été enregistré. Ouvrez-la à nouveau pour voir la version à jour.")
        )
    if order.status != ORDERED:
        raise SaleRefused(_("Seule une commande en cours (ni livrée ni annulée) peut être modifiée (statut actuel : %(status)s).", status=order.status_label))
    _check_details(delivery_mode, ordered_on)
    current = {line.product_id: line for line in order.lines}
    wanted = _check_quantities(order.school_year, quantities, allowed=tuple(current))
    for product, quantity in wanted.items():
        if product.id in current:
            current[product.id].quantity = quantity
        else:
            order.lines.append(OrderLine(product_id=product.id, product=product, quantity=quantity, unit_price=product.unit_price))
    kept = {product.id for product in wanted}
    for line in list(order.lines):
        if line.product_id not in kept:
            order.lines.remove(line)
    refresh_totals(order)
    if Decimal(order.amount_paid or 0) > Decimal(order.total):
        total, paid = order.total, order.amount_paid
        db.session.rollback()
        raise SaleRefused(_("Le nouveau total (%(total)s) serait inférieur au montant déjà payé (%(paid)s).", total=money(total), paid=money(paid)))
    order.ordered_on, order.delivery_mode, order.note = ordered_on, delivery_mode, note
    order.version = (order.version or 0) + 1
    db.session.commit()
    return order


def deliver(order: Order, on: date | None = None) -> None:
    if order.status != ORDERED:
        raise SaleRefused(_("Seule une commande en cours peut être livrée (statut actuel : %(status)s).", status=order.status_label))
    order.status = DELIVERED
    order.delivered_on = on or date.today()
    order.version = (order.version or 0) + 1
    db.session.commit()


def record_payment(order: Order, amount: Decimal, *, on: date | None = None, method: str | None = None) -> None:
    """A payment received for ``order`` (added to what was already paid)."""
    if order.status == CANCELLED:
        raise SaleRefused(_("Une commande annulée ne reçoit pas de paiement."))
    amount = Decimal(amount).quantize(CENT)
    if amount <= ZERO:
        raise SaleRefused(_("Le montant reçu doit être supérieur à 0."))
    if method is not None and method not in PAYMENT_METHODS:
        raise SaleRefused(_("Choisissez le moyen de paiement."))
    if amount > order.left_to_pay:
        raise SaleRefused(_("Le paiement (%(amount)s) dépasse le reste à payer (%(left)s).", amount=money(amount), left=money(order.left_to_pay)))
    order.amount_paid = (Decimal(order.amount_paid or 0) + amount).quantize(CENT)
    order.paid_on = on or date.today()
    order.payment_method = method
    order.payment_status = payment_status(Decimal(order.total), Decimal(order.amount_paid))
    order.version = (order.version or 0) + 1
    db.session.commit()


def cancel(order: Order) -> Decimal:
    """Cancel an order not yet delivered; return what was already paid (to be refunded)."""
    if order.status == CANCELLED:
        raise SaleRefused(_("Cette commande est déjà annulée."))
    if order.status == DELIVERED:
        raise SaleRefused(_("Une commande livrée ne peut pas être annulée."))
    order.status = CANCELLED
    order.version = (order.version or 0) + 1
    db.session.commit()
    return Decimal(order.amount_paid or 0)


# --- figures -------------------------------------------------------------------------------


@dataclass
class ProductTotal:
    product: Product
    quantity: int = 0
    amount: Decimal = ZERO
    delivered: int = 0
    paid: int = 0  # copies in fully paid orders


@dataclass
class SectorTotal:
    name: str
    quantities: dict[int, int] = field(default_factory=dict)  # product id -> copies
    amount: Decimal = ZERO

    @property
    def copies(self) -> int:
        return sum(self.quantities.values())


def totals_by_product(year) -> list[ProductTotal]:
    """Each product of ``year``: copies ordered (cancelled orders left out), amount, copies delivered, copies paid."""
    products = list(db.session.execute(select(Product).filter(Product.school_year_id == year.id).order_by(Product.kind, Product.cycle, Product.name)).scalars())
    amount = func.sum(OrderLine.quantity * OrderLine.unit_price)
    query = (
        select(
            OrderLine.product_id,
            func.sum(OrderLine.quantity),
            amount,
            func.sum(case((Order.status == DELIVERED, OrderLine.quantity), else_=0)),
            func.sum(case((Order.payment_status == PAID, OrderLine.quantity), else_=0)),
        )
        .join(Order, OrderLine.order_id == Order.id)
        .filter(Order.school_year_id == year.id, Order.status != CANCELLED)
        .group_by(OrderLine.product_id)
    )
    found = {row[0]: row for row in db.session.execute(query)}
    result = []
    for product in products:
        row = found.get(product.id)
        if row is None:
            result.append(ProductTotal(product))
        else:
            result.append(ProductTotal(product, int(row[1] or 0), Decimal(row[2] or 0).quantize(CENT), int(row[3] or 0), int(row[4] or 0)))
    return result


def totals_by_sector(year) -> list[SectorTotal]:
    """Copies per product and amount per sector of the ordering cooperative (cancelled orders left out)."""
    query = (
        select(Sector.name, OrderLine.product_id, func.sum(OrderLine.quantity), func.sum(OrderLine.quantity * OrderLine.unit_price))
        .select_from(OrderLine)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Cooperative, Order.cooperative_id == Cooperative.id)
        .outerjoin(Sector, Cooperative.sector_id == Sector.id)
        .filter(Order.school_year_id == year.id, Order.status != CANCELLED)
        .group_by(Sector.name, OrderLine.product_id)
    )
    sectors: dict[str, SectorTotal] = {}
    for name, product_id, quantity, amount in db.session.execute(query):
        label = name or _("Sans secteur")
        total = sectors.setdefault(label, SectorTotal(label))
        total.quantities[product_id] = int(quantity or 0)
        total.amount = (total.amount + Decimal(amount or 0)).quantize(CENT)
    return [sectors[name] for name in sorted(sectors)]


def year_figures(year) -> dict:
    """Orders, copies, amount, paid and left to pay over the year (cancelled orders left out)."""
    row = db.session.execute(
        select(func.count(Order.id), func.sum(Order.copies), func.sum(Order.total), func.sum(Order.amount_paid)).filter(
            Order.school_year_id == year.id, Order.status != CANCELLED
        )
    ).one()
    total = Decimal(row[2] or 0).quantize(CENT)
    paid = Decimal(row[3] or 0).quantize(CENT)
    return {"orders": int(row[0] or 0), "copies": int(row[1] or 0), "amount": total, "paid": paid, "left": max(total - paid, ZERO)}


__all__ = [
    "SaleRefused", "cancel", "refresh_totals", "change_order", "deliver", "payment_status", "place_order", "products_on_sale", "record_payment",
    "totals_by_product", "totals_by_sector", "year_figures",
]  # fmt: skip
