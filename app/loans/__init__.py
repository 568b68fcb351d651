"""Free loans of trunks, teaching books and kits, a core area on the plugin contract (always on).

The core lends thematic trunks and teaching books; action plugins add their
own kinds of items (``occe_loan_item_kinds``) and use the same reservations,
calendar, checklists and reminders.
"""

from flask import url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="loans",
    label="Prêts",
    version="1.0.0",
    description="Prêt gratuit de malles thématiques, d'ouvrages pédagogiques et de kits : réservations, calendrier, sorties et retours, relances.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Loans"
MENU = {"LoanCalendar": "LoanCalendarView", "Booking": "BookingView", "Loans": "LoanView", "Overdue": "OverdueView", "LoanItems": "LoanItemView"}
LOAN_PERMISSIONS = ("can_list", "can_show", "can_edit", "can_export", "can_check_out", "can_check_in", "cancel")


@hookimpl
def occe_role_permissions():
    """Animation and Gestion run the loans; Conseil reads the items, the loans and the calendar."""
    runners = [
        grant("LoanItemView", WRITE + ("can_export",)),
        grant("LoanView", LOAN_PERMISSIONS),
        grant("BookingView", ("can_book",)),
        grant("LoanCalendarView", ("can_list",)),
        grant("OverdueView", ("can_list", "can_remind")),
        menu_access(CATEGORY, *MENU),
    ]
    return {
        ANIMATION: runners,
        GESTION: runners,
        CONSEIL: [
            grant("LoanItemView", READ),
            grant("LoanView", ("can_list", "can_show")),
            grant("LoanCalendarView", ("can_list",)),
            menu_access(CATEGORY, "LoanCalendar", "Loans", "LoanItems"),
        ],
    }


@hookimpl
def occe_views(menu):
    from app.loans import views

    common = {"category": CATEGORY, "category_label": _("Prêts"), "category_icon": "fa-suitcase"}
    menu.add_view(views.LoanCalendarView, "LoanCalendar", label=_("Calendrier des prêts"), icon="fa-calendar-alt", **common)
    menu.add_view(views.BookingView, "Booking", label=_("Réserver"), icon="fa-calendar-plus", **common)
    menu.add_view(views.LoanView, "Loans", label=_("Prêts"), icon="fa-exchange-alt", **common)
    menu.add_view(views.OverdueView, "Overdue", label=_("Prêts en retard"), icon="fa-exclamation-triangle", **common)
    menu.add_view(views.LoanItemView, "LoanItems", label=_("Malles, ouvrages et kits"), icon="fa-suitcase", **common)


@hookimpl
def occe_loan_item_kinds():
    from app.loans.kinds import CORE_KINDS

    return list(CORE_KINDS)


@hookimpl
def occe_mail_templates():
    from app.loans.reminders import TEMPLATES

    return list(TEMPLATES)


@hookimpl
def occe_dashboard_cards(year):
    from app.loans.service import counts

    figures = counts()
    return [
        DashboardCard(
            title=_("Prêts en cours"),
            value=str(figures["out"]),
            detail=_("%(late)s en retard ; %(reserved)s réservations à venir", late=figures["late"], reserved=figures["reserved"]),
            url=url_for("OverdueView.page") if figures["late"] else url_for("LoanCalendarView.page"),
        )
    ]


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.loans.figures import loans_tab

    return [loans_tab(cooperative)]


@hookimpl
def occe_demo_data(year):
    from app.loans.demo import load_loans_demo

    load_loans_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.loans.report import report_sections

    return report_sections(year)
