"""« Journées coopératives au Musée de Chevregny »: two cooperative days at the Musée de l'École publique (new in 2025-2026).

Twice six classes, CP to CM2, spend a day at the museum going round six
workshops (museum visit, cooperative writing, war memorial, treasure hunt /
herbarium, physical cooperative games, agenda coop or philosophy discussion).
Classes apply through the core's ``Action`` / ``Registration`` (eligibility:
CP to CM2 only; 12 places). When more apply than there are places, the
interventions' selection engine ranks them (explained, overridable); « Retenir »
gives the top classes the days (by sector when possible) and moves the core
statuses. Each day's rotation is a cyclic Latin square (:mod:`.rotation`) printed
as timetables per class and per workshop. Each retained class gets one transport
aid request in the core's financial aid workflow; museum entries are counted
from its pupils and adults.
"""

from app.plugins import DEPARTMENTAL, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, READ, WRITE, grant, menu_access

from . import models  # noqa: F401  (registers the tables before any migration)

PLUGIN = PluginInfo(
    code="chevregny",
    label="Journées au Musée de Chevregny",
    version="1.0.0",
    description="Deux journées coopératives au Musée de l'École publique de Chevregny : candidatures, sélection, ateliers, rotation, emplois du temps, aide au transport et entrées.",
    kind=DEPARTMENTAL,
    yearly=True,
)

MENU_CATEGORY = "Chevregny"
MENU = {
    "ChevregnyHome": "ChevregnyView",
    "ChevregnyDays": "ChevregnyDayView",
    "ChevregnyWorkshops": "ChevregnyWorkshopView",
    "ChevregnyApplications": "ChevregnyApplicationView",
}
EXPORT = ("can_export",)


@hookimpl
def occe_role_permissions():
    """Animation runs the days and the selection; Gestion handles the transport aid and entries; Conseil reads."""
    menus = menu_access(MENU_CATEGORY, *MENU)
    return {
        ANIMATION: [
            grant("ChevregnyDayView", WRITE + EXPORT),
            grant("ChevregnyWorkshopView", WRITE + EXPORT),
            grant("ChevregnyApplicationView", READ + ("can_edit", "can_download") + EXPORT),
            grant("ChevregnyView", ("can_list", "can_select", "can_aid", "can_timetable")),
            menus,
        ],
        GESTION: [
            grant("ChevregnyDayView", READ + EXPORT),
            grant("ChevregnyWorkshopView", READ + EXPORT),
            grant("ChevregnyApplicationView", READ + ("can_edit", "can_download") + EXPORT),
            grant("ChevregnyView", ("can_list", "can_aid", "can_timetable")),
            menus,
        ],
        CONSEIL: [
            grant("ChevregnyDayView", READ),
            grant("ChevregnyWorkshopView", READ),
            grant("ChevregnyApplicationView", READ),
            grant("ChevregnyView", ("can_list",)),
            menus,
        ],
    }


@hookimpl
def occe_views(menu):
    from flask import Blueprint
    from flask import current_app as app

    from .views import ChevregnyApplicationView, ChevregnyDayView, ChevregnyView, ChevregnyWorkshopView

    if "chevregny_templates" not in app.blueprints:
        app.register_blueprint(Blueprint("chevregny_templates", __name__, template_folder="templates"))
    common = {"category": MENU_CATEGORY, "category_label": "Musée de Chevregny", "category_icon": "fa-university"}
    menu.add_view(ChevregnyView, "ChevregnyHome", label="Journées au musée : tableau de bord", icon="fa-university", **common)
    menu.add_view(ChevregnyDayView, "ChevregnyDays", label="Journées", icon="fa-calendar", **common)
    menu.add_view(ChevregnyWorkshopView, "ChevregnyWorkshops", label="Ateliers des journées", icon="fa-th", **common)
    menu.add_view(ChevregnyApplicationView, "ChevregnyApplications", label="Classes candidates et retenues", icon="fa-users", **common)


@hookimpl
def occe_dashboard_cards(year):
    from flask import url_for

    from app.money import money
    from app.plugins.info import DashboardCard

    from .services import figures

    found = figures(year)
    aid = found["aid"]
    return [
        DashboardCard(
            title="Musée de Chevregny : classes retenues",
            value=f"{found['retained']} / {found['applications']}",
            detail=(
                f"{found['applications']} candidature(s), {found['retained']} retenue(s), {found['days']} journée(s) ; "
                f"{found['entries']} entrée(s) au musée ({money(found['entries_amount'])}) ; "
                f"aide au transport accordée {money(aid['granted'])}, versée {money(aid['paid'])}"
            ),
            url=url_for("ChevregnyView.page"),
            bars=(("Candidatures", found["applications"]), ("Retenues", found["retained"]), ("Entrées", found["entries"])),
        )
    ]


@hookimpl
def occe_registration_eligibility(action, cooperative, classroom):
    from .services import eligibility_problem

    problem = eligibility_problem(classroom)
    return [problem] if problem else []


@hookimpl
def occe_plugin_switched(year, enabled):
    from app.extensions import db

    from .services import ensure_action

    if enabled:
        ensure_action(year)
        db.session.commit()


@hookimpl
def occe_demo_data(year):
    from .services import add_demo

    add_demo(year)


@hookimpl
def occe_report_sections(year):
    from .report import section

    return [section(year)]
