"""In-class interventions of the departmental animator, a core area on the plugin contract (always on).

Teachers ask for an intervention on a theme; the animator, alone on the
department, chooses with the activity plan's rules (``selection.py``),
plans days of one sector, then records the booklet handed over.
"""

from flask import url_for
from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="interventions",
    label="Interventions en classe",
    version="1.0.0",
    description="Demandes d'intervention des enseignants, classement expliqué, journées planifiées, livrets remis.",
    kind=CORE,
    yearly=False,
)

CATEGORY = "Interventions"
MENU = {"Selection": "SelectionView", "InterventionRequests": "InterventionRequestView", "InterventionDays": "InterventionDayView", "InterventionThemes": "InterventionThemeView"}


@hookimpl
def occe_role_permissions():
    """Animation runs the interventions; Gestion and Conseil read the requests and days."""
    readers = [
        grant("InterventionRequestView", READ + ("can_export",)),
        grant("InterventionDayView", READ),
        grant("InterventionThemeView", READ),
        menu_access(CATEGORY, "InterventionRequests", "InterventionDays", "InterventionThemes"),
    ]
    return {
        ANIMATION: [
            grant("SelectionView", ("can_list", "can_override", "can_plan")),
            grant("InterventionRequestView", WRITE + ("can_export",)),
            grant("InterventionDayView", ("can_list", "can_show", "can_edit", "can_delete")),
            grant("InterventionThemeView", WRITE),
            menu_access(CATEGORY, *MENU),
        ],
        GESTION: readers,
        CONSEIL: readers,
    }


@hookimpl
def occe_views(menu):
    from app.interventions import views

    common = {"category": CATEGORY, "category_label": _("Interventions"), "category_icon": "fa-chalkboard"}
    menu.add_view(views.SelectionView, "Selection", label=_("Choisir et planifier"), icon="fa-sort-amount-down", **common)
    menu.add_view(views.InterventionRequestView, "InterventionRequests", label=_("Demandes"), icon="fa-hand-paper", **common)
    menu.add_view(views.InterventionDayView, "InterventionDays", label=_("Journées"), icon="fa-calendar-day", **common)
    menu.add_view(views.InterventionThemeView, "InterventionThemes", label=_("Thèmes et livrets"), icon="fa-book-open", **common)


@hookimpl
def occe_dashboard_cards(year):
    from app.interventions.figures import status_counts

    counts = status_counts(year)
    return [
        DashboardCard(
            title=_("Interventions en classe %(year)s", year=year.label),
            value=str(counts["realisee"]),
            detail=_("réalisées ; %(waiting)s demandes en attente, %(planned)s planifiées", waiting=counts["demandee"], planned=counts["planifiee"]),
            url=url_for("SelectionView.page"),
        )
    ]


@hookimpl
def occe_cooperative_tabs(cooperative):
    from app.interventions.figures import interventions_tab

    return [interventions_tab(cooperative)]


@hookimpl
def occe_demo_data(year):
    from app.interventions.demo import load_interventions_demo

    load_interventions_demo(year)


@hookimpl
def occe_report_sections(year):
    from app.interventions.report import report_sections

    return report_sections(year)
