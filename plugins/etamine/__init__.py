"""Étamine: the OCCE's federal reading and book-making action.

Classes register to the year's Étamine action through the core's actions
service (a core ``Action`` per school year, ``plugin_code = "etamine"``), so
the registration page, statuses, waiting list, recap export and cooperative
page work unchanged. The trunks of books made by classes in previous years
and the reading trunk are lent through the core's loans (kinds
``malle_etamine`` and ``malle_lecture``: booking, calendar and checklists come
for free). The plugin's own table holds the requests for copies and binding of
the book a class created: at most one copy per pupil, then demandé → imprimé
→ relié → livré.

Quantity: the core's ``Action.quantity_label`` / ``occe_registration_quota``
mechanism asks the quantity at registration time; Étamine's copies are asked
later in the year, once the book exists, possibly several times (two books),
so the plugin keeps them in ``etamine_copy_request`` and applies the cap
itself (service and form), from the registration's pupils (else the class's).
"""

from app.plugins import FEDERAL, CooperativeTab, LoanItemKind, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="etamine",
    label="Étamine",
    version="1.0.0",
    description="Action fédérale de lecture : inscriptions, prêt des malles de livres des classes et de la malle lecture, copie et reliure des livres créés.",
    kind=FEDERAL,
)

MENU_CATEGORY = "Etamine"
VIEW = "CopyRequestView"
STEP_PERMISSIONS = ("mark_printed", "mark_bound", "mark_delivered")


@hookimpl
def occe_role_permissions():
    """Animation runs Étamine (requests and their steps); Gestion and Conseil read."""
    menus = menu_access(MENU_CATEGORY, "EtamineCopies")
    readers = [grant(VIEW, READ + ("can_export",)), menus]
    return {
        ANIMATION: [grant(VIEW, WRITE + ("can_export",) + STEP_PERMISSIONS), menus],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from .views import CopyRequestView

    menu.add_view(
        CopyRequestView, "EtamineCopies", label="Copies et reliures", icon="fa-book",
        category=MENU_CATEGORY, category_label="Étamine", category_icon="fa-book-open",
    )  # fmt: skip


@hookimpl
def occe_loan_item_kinds():
    return [
        LoanItemKind("malle_etamine", "Malles Étamine (livres des classes)", "Les livres créés et reliés par les classes les années précédentes."),
        LoanItemKind("malle_lecture", "Malle lecture", "La malle « lecture » d'Étamine : albums, romans et documentaires."),
    ]


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.actions.figures import registrations_card

    return [registrations_card(PLUGIN.code, "Étamine : classes inscrites", year, url_for("CopyRequestView.list"))]


@hookimpl
def occe_cooperative_tabs(cooperative):
    from flask import url_for

    from .models import STATUSES
    from .services import requests_of

    return [
        CooperativeTab(
            title="Étamine : copies et reliures",
            columns=("Année", "Classe", "Livre", "Exemplaires", "Statut"),
            rows=tuple(
                (r.school_year.label, r.classroom.name if r.classroom else "", r.book_title, r.copies, STATUSES.get(r.status, r.status))
                for r in requests_of(cooperative)
            ),
            url=url_for("CopyRequestView.list", _flt_0_cooperative=cooperative.id),
            empty="Aucune demande de copies.",
        )
    ]


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_year_action

    if enabled:
        ensure_year_action(year)
        db.session.commit()


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
