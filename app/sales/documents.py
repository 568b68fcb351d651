"""An order's delivery note and invoice, drawn by the console's PDF service."""

from __future__ import annotations

from app.documents import render
from app.documents.response import pdf_response
from app.money import money
from app.sales.models import (
    DELIVERY_MODES,
    PAYMENT_METHODS,
    PAYMENT_STATUSES,
    STATUSES,
    Order,
)


def delivery_note_document(order: Order) -> render.PdfDocument:
    """« Bon de livraison et facture »: the lines, the total, what was paid and what is left to pay."""
    coop = order.cooperative
    school = coop.school
    place = " ".join(part for part in (school.postal_code, school.commune) if part)
    rows = [
        [line.product.name, line.quantity, money(line.unit_price), money(line.amount)]
        for line in order.lines
    ]
    rows.append(["Total", order.copies, "", money(order.total)])
    details = [
        f"Coopérative {coop.affiliation_number} — {school.name}",
        ", ".join(part for part in (school.address, place) if part),
        f"Commande du {render.french_date(order.ordered_on)} — année scolaire {order.school_year.label}",
        f"Livraison : {DELIVERY_MODES.get(order.delivery_mode, order.delivery_mode)}"
        + (f", livrée le {render.french_date(order.delivered_on)}" if order.delivered_on else f" ({STATUSES.get(order.status, order.status).lower()})"),
        f"Paiement : {PAYMENT_STATUSES.get(order.payment_status, order.payment_status)} — payé {money(order.amount_paid)}, reste à payer {money(order.left_to_pay)}"
        + (f" ({PAYMENT_METHODS.get(order.payment_method, order.payment_method)}, le {render.french_date(order.paid_on)})" if order.paid_on else ""),
    ]
    doc = render.PdfDocument(f"Bon de livraison et facture {order.number}")
    doc.add_page()
    doc.heading(f"Bon de livraison et facture {order.number}", None, details=[line for line in details if line])
    doc.data_table(["Produit", "Quantité", "Prix unitaire", "Montant"], rows, widths=[5, 1.2, 1.6, 1.6], align=["L", "R", "R", "R"])
    if order.note:
        doc.ln(4)
        doc.multi_cell(0, 5, f"Note : {order.note}")
    return doc


def delivery_note(order: Order):
    return pdf_response(delivery_note_document(order), render.pdf_filename("bon-livraison", order.number, order.cooperative.affiliation_number))
