"""Sales to the cooperatives: the agenda coop (one per cycle), the calendar illustrated by pupils.

A :class:`Product` is on sale for one school year at a unit price. An
:class:`Order` is one cooperative's order for that year; its lines copy the
unit price at order time, so a later price change never rewrites an order.
``copies``, ``total`` and ``payment_status`` are stored on the order (lists,
searches and exports need no join nor per-row query) and kept consistent by
:mod:`app.sales.service`, the only code that changes them.
"""

from __future__ import annotations

from decimal import Decimal

from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from app.datamodel import Versioned
from app.extensions import db
from app.money import CENT

KINDS = {"agenda": "Agenda coop", "calendrier": "Calendrier", "autre": "Autre"}
CYCLES = {1: "Cycle 1", 2: "Cycle 2", 3: "Cycle 3"}

ORDERED = "commandee"
DELIVERED = "livree"
CANCELLED = "annulee"
STATUSES = {ORDERED: "Commandée", DELIVERED: "Livrée", CANCELLED: "Annulée"}

DELIVERY_MODES = {"siege": "Retrait au siège", "poste": "Envoi postal", "secteur": "Remise en secteur"}

TO_PAY = "a_payer"
PART_PAID = "partielle"
PAID = "payee"
PAYMENT_STATUSES = {TO_PAY: "À payer", PART_PAID: "Payée partiellement", PAID: "Payée"}
PAYMENT_METHODS = {"cheque": "Chèque", "virement": "Virement", "especes": "Espèces"}



def cycle_label(value) -> str:
    return CYCLES.get(value, "") if value is not None else ""


class Product(Versioned, db.Model):
    """Something the association sells to the cooperatives during one school year."""

    __tablename__ = "occe_product"
    __table_args__ = (UniqueConstraint("school_year_id", "name", name="uq_occe_product_year_name"),)

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    name = Column(String(120), nullable=False)
    kind = Column(String(12), nullable=False, default="agenda")
    cycle = Column(Integer)
    unit_price = Column(Numeric(10, 2), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    description = Column(Text)

    school_year = relationship("SchoolYear", lazy="joined")

    def __str__(self) -> str:
        return self.name


class Order(Versioned, db.Model):
    """One cooperative's order of the year; its status, delivery and payment."""

    __tablename__ = "occe_order"

    id = Column(Integer, primary_key=True)
    school_year_id = Column(Integer, ForeignKey("occe_school_year.id"), nullable=False, index=True)
    cooperative_id = Column(Integer, ForeignKey("occe_cooperative.id"), nullable=False, index=True)
    ordered_on = Column(Date, nullable=False)
    status = Column(String(10), nullable=False, default=ORDERED, index=True)
    delivery_mode = Column(String(10), nullable=False, default="siege")
    delivered_on = Column(Date)
    copies = Column(Integer, nullable=False, default=0, server_default="0")
    total = Column(Numeric(10, 2), nullable=False, default=Decimal("0.00"), server_default="0")
    amount_paid = Column(Numeric(10, 2), nullable=False, default=Decimal("0.00"), server_default="0")
    payment_status = Column(String(10), nullable=False, default=TO_PAY, index=True)
    paid_on = Column(Date)
    payment_method = Column(String(10))
    payment_reminded_on = Column(Date)
    note = Column(Text)
    created_by_id = Column(Integer, ForeignKey("ab_user.id"))

    school_year = relationship("SchoolYear", lazy="joined")
    cooperative = relationship("Cooperative", lazy="joined")
    created_by = relationship(User)
    lines = relationship("OrderLine", back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")

    @property
    def number(self) -> str:
        return f"V{self.id:05d}" if self.id else ""

    @property
    def left_to_pay(self) -> Decimal:
        if self.status == CANCELLED:
            return Decimal("0.00")
        return max(Decimal(self.total or 0) - Decimal(self.amount_paid or 0), Decimal("0.00"))

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def __str__(self) -> str:
        coop = self.cooperative.affiliation_number if self.cooperative else self.cooperative_id
        return f"Commande {self.number} ({coop})"


class OrderLine(db.Model):
    """A quantity of one product in an order, at the unit price of the day of the order."""

    __tablename__ = "occe_order_line"
    __table_args__ = (
        UniqueConstraint("order_id", "product_id", name="uq_occe_order_line_product"),
        CheckConstraint("quantity > 0", name="ck_occe_order_line_quantity"),
    )

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("occe_order.id"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("occe_product.id"), nullable=False, index=True)
    quantity = Column(Integer, nullable=False)
    unit_price = Column(Numeric(10, 2), nullable=False)

    order = relationship("Order", back_populates="lines")
    product = relationship("Product", lazy="joined")

    @property
    def amount(self) -> Decimal:
        return (Decimal(self.unit_price) * self.quantity).quantize(CENT)
