"""School years, as a core area written on the plugin contract (always on)."""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl
from app.security.roles import ANIMATION, CONSEIL, GESTION, PARTENAIRE, READ, grant

PLUGIN = PluginInfo(
    code="years",
    label="Années scolaires",
    version="1.0.0",
    description="Les années scolaires (1er septembre - 31 août), l'année courante et l'année consultée.",
    kind=CORE,
    yearly=False,
)

MENU_CATEGORY = "Administration"


@hookimpl
def occe_role_permissions():
    from app.years.views import SchoolYearView, YearChoiceView

    choose = grant(YearChoiceView, ["can_choose"])
    return {
        ANIMATION: [choose],
        GESTION: [choose, grant(SchoolYearView, READ)],
        CONSEIL: [choose],
        PARTENAIRE: [choose],
    }


@hookimpl
def occe_views(menu):
    from app.years.views import RolloverView, SchoolYearView, YearChoiceView

    menu.add_view(
        SchoolYearView,
        "SchoolYears",
        label=_("Années scolaires"),
        icon="fa-calendar",
        category=MENU_CATEGORY,
        category_label=_("Administration"),
        category_icon="fa-cogs",
    )
    menu.add_view(
        RolloverView,
        "NewYear",
        label=_("Nouvelle année scolaire"),
        icon="fa-forward",
        category=MENU_CATEGORY,
        category_label=_("Administration"),
        category_icon="fa-cogs",
    )
    menu.add_view_no_menu(YearChoiceView)


@hookimpl
def occe_dashboard_cards(year):
    detail = _("du %(start)s au %(end)s", start=f"{year.start_date:%d/%m/%Y}", end=f"{year.end_date:%d/%m/%Y}")
    title = _("Année courante") if year.is_current else _("Année consultée (archive)")
    return [DashboardCard(title=title, value=year.label, detail=detail)]
