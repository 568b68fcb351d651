"""Ventes, a core area on the plugin contract (always on).

The association sells the agenda coop (one per cycle) and a calendar
illustrated by pupils to the cooperatives: products per school year, orders
per cooperative, delivery, payment, totals per product and per sector.
"""

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import (
    ANIMATION,
    CONSEIL,
    GESTION,
    READ,
    WRITE,
    grant,
    menu_access,
)

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="sales",
    label="Ventes",
    version="1.0.0",
    description="Ventes d'agendas coop et de calendriers : produits, commandes par coopérative, livraison, paiement, totaux.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Management"  # « Gestion »: CRFS and checks, financial aid, sales under one menu
MENU = {"SalesOrders": "OrderView", "SalesNewOrder": "OrderEntryView", "SalesTotals": "SalesTotalsView", "SalesProducts": "ProductView"}


@hookimpl
def occe_role_permissions():
    """Gestion runs the sales; Animation reads them and marks deliveries (agendas handed out at sector meetings); Conseil reads."""
    return {
        GESTION: [
            grant("ProductView", WRITE + ("can_export",)),
            grant("OrderView", ("can_list", "can_show", "can_export", "deliver", "payment", "can_payment", "cancel", "remind")),
            grant("OrderEntryView", ("can_order",)),
            grant("SalesTotalsView", ("can_list", "can_export")),
            menu_access(CATEGORY, *MENU),
        ],
        ANIMATION: [
            grant("ProductView", READ),
            grant("OrderView", ("can_list", "can_show", "deliver")),
            grant("SalesTotalsView", ("can_list",)),
            menu_access(CATEGORY, "SalesOrders", "SalesTotals", "SalesProducts"),
        ],
        CONSEIL: [
            grant("ProductView", READ),
            grant("OrderView", READ),
            grant("SalesTotalsView", ("can_list",)),
            menu_access(CATEGORY, "SalesOrders", "SalesTotals", "SalesProducts"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.sales import views

    menu.add_separator(CATEGORY)
    common = {"category": CATEGORY, "category_label": _("Gestion"), "category_icon": "fa-euro-sign"}
    menu.add_view(views.OrderView, "SalesOrders", label=_("Ventes : commandes"), icon="fa-receipt", **common)
    menu.add_view(views.OrderEntryView, "SalesNewOrder", label=_("Ventes : nouvelle commande"), icon="fa-cart-plus", **common)
    menu.add_view(views.SalesTotalsView, "SalesTotals", label=_("Ventes : totaux"), icon="fa-chart-bar", **common)
    menu.add_view(views.ProductView, "SalesProducts", label=_("Ventes : produits"), icon="fa-book", **common)


@hookimpl
def occe_dashboard_cards(year):
    from flask import (
        current_app,  # not at module level: the plugin manager inspects every module attribute
    )

    from app.money import money
    from app.sales.service import totals_by_product, year_figures

    if year is None or (has_request_context() and not current_app.appbuilder.sm.has_access("can_list", "SalesTotalsView")):
        return []  # the home page shows every card to everyone: partners see no sales figures
    figures = year_figures(year)
    return [
        DashboardCard(
            title=_("Ventes : exemplaires commandés"),
            value=str(figures["copies"]),
            detail=_("%(orders)s commande(s), %(amount)s ; reste à payer : %(left)s", orders=figures["orders"], amount=money(figures["amount"]), left=money(figures["left"])),
            url=url_for("SalesTotalsView.page"),
            bars=tuple((total.product.name, total.quantity) for total in totals_by_product(year) if total.quantity),
        )
    ]


@hookimpl
def occe_mail_templates():
    from app.sales.reminders import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.sales.figures import orders_tab

    return [orders_tab(cooperative)]


@hookimpl
def occe_demo_data(year):
    from app.sales.demo import load_sales_demo

    load_sales_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.sales.report import report_sections

    return report_sections(year)
