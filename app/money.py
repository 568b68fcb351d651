"""Amounts in euros, written and read the French way (« 1 234,50 € »), for every area that handles money."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext
from wtforms import DecimalField

from app.views import input_error

CENT = Decimal("0.01")
#: What a person types for an amount once spaces and the € sign are gone: « 1250,50 », « 12.5 », « -30 ».
AMOUNT = re.compile(r"^-?\d{1,12}([.,]\d+)?$", re.ASCII)


def money(value) -> str:
    """« 1 234,50 € » (narrow no-break space between thousands, decimal comma); empty when missing."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"


def parse_amount(text) -> Decimal | None:
    """« 1 250,50 », « 12.5 », « 350 € » → Decimal; None when it is not an amount."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", str(text or ""))
    if not AMOUNT.match(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


class EuroField(DecimalField):
    """An amount typed the French way; what was typed stays in the field with a French message on error.

    ``message`` is a gettext text with ``%(typed)s`` (the typed text, escaped).
    """

    def __init__(self, label=None, validators=None, *, message: str | None = None, **kwargs):
        self.message = message
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        typed = str(valuelist[0]).strip()
        amount = parse_amount(typed)
        if amount is None:
            self.data = None
            self.raw_data = valuelist
            template = self.message or "« %(typed)s » n'est pas un montant : écrivez par exemple 350,00."
            raise input_error(gettext(template, typed=typed))
        self.data = amount
