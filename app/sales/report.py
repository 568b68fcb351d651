"""Agendas and calendars sold, in the year's activity report (order 55)."""

from __future__ import annotations

from app.directory.report import counted, number
from app.money import money
from app.plugins.info import ReportChart, ReportSection, ReportTable
from app.sales.models import KINDS
from app.sales.service import totals_by_product, totals_by_sector, year_figures

ORDER = 55
#: How the paragraph counts the copies of each kind of product.
KIND_WORDS = {"agenda": ("agenda",), "calendrier": ("calendrier",), "autre": ("autre article", "autres articles")}


def report_sections(year) -> list[ReportSection]:
    """« Ventes d'agendas et de calendriers » for ``year``.

    The figures match « Ventes › Commandes » of ``year`` as the viewed year, cancelled orders
    left out, and the « Ventes : totaux » page (per product and per sector: the same
    grouped queries, app.sales.service.totals_by_product / totals_by_sector).
    """
    figures = year_figures(year)
    if not figures["orders"]:
        return [ReportSection(title="Ventes d'agendas et de calendriers", order=ORDER, figures=(("Commandes", "0"),), paragraphs=("Aucune commande d'agendas ni de calendriers cette année.",))]
    products = [total for total in totals_by_product(year) if total.quantity]
    sectors = totals_by_sector(year)
    by_kind: dict[str, int] = {}
    for total in products:
        by_kind[total.product.kind] = by_kind.get(total.product.kind, 0) + total.quantity
    detail = ", ".join(counted(copies, *KIND_WORDS.get(kind, (KINDS.get(kind, kind).lower(),))) for kind, copies in by_kind.items())
    paragraph = (
        f"{counted(figures['orders'], 'commande')}, {counted(figures['copies'], 'exemplaire')} ({detail}) "
        f"pour {money(figures['amount'])} ; {money(figures['paid'])} encaissés, {money(figures['left'])} restant à payer."
    )
    return [
        ReportSection(
            title="Ventes d'agendas et de calendriers",
            order=ORDER,
            figures=(
                ("Commandes", number(figures["orders"])),
                ("Exemplaires", number(figures["copies"])),
                ("Montant", money(figures["amount"])),
                ("Encaissé", money(figures["paid"])),
            ),
            paragraphs=(paragraph,),
            tables=(
                ReportTable(
                    columns=("Produit", "Exemplaires commandés", "Montant (€)", "Exemplaires livrés", "Exemplaires payés"),
                    rows=tuple((t.product.name, t.quantity, t.amount, t.delivered, t.paid) for t in products),
                    title="Ventes par produit",
                    total=("Total", figures["copies"], figures["amount"], sum(t.delivered for t in products), sum(t.paid for t in products)),
                ),
                ReportTable(
                    columns=("Secteur", "Exemplaires", "Montant (€)"),
                    rows=tuple((s.name, s.copies, s.amount) for s in sectors),
                    title="Ventes par secteur",
                    total=("Total", figures["copies"], figures["amount"]),
                ),
            ),
            charts=(ReportChart(title="Exemplaires vendus par produit", labels=tuple(t.product.name for t in products), values=tuple(float(t.quantity) for t in products)),),
        )
    ]
