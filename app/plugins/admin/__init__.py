"""The Plugins page, as a core area written on the plugin contract (always on)."""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, DashboardCard, PluginInfo, hookimpl

PLUGIN = PluginInfo(
    code="plugins",
    label="Plugins",
    version="1.0.0",
    description="La liste des plugins, leurs erreurs et leur activation par année scolaire.",
    kind=CORE,
    yearly=False,
)


@hookimpl
def occe_views(menu):
    from app.plugins.admin.views import PluginsView

    menu.add_view(PluginsView, "Plugins", label=_("Plugins"), icon="fa-puzzle-piece", category="Administration")


@hookimpl
def occe_dashboard_cards(year):
    from flask import current_app, url_for

    from app.plugins.switches import current_manager, plugins_on

    manager = current_manager()
    yearly_on = [plugin for plugin in plugins_on(manager, year) if plugin.yearly]
    title = _("Actions actives en %(year)s", year=year.label)
    if not current_app.appbuilder.sm.has_access("can_list", "PluginsView"):
        # staff see how many actions run this year; plugin errors and the link are for administrators
        names = ", ".join(plugin.label for plugin in yearly_on)
        return [DashboardCard(title=title, value=str(len(yearly_on)), detail=names)]
    broken = [plugin for plugin in manager.describe() if plugin.errors]
    detail = _("%(count)d plugin(s) en erreur", count=len(broken)) if broken else _("aucune erreur")
    return [DashboardCard(title=title, value=str(len(yearly_on)), detail=detail, url=url_for("PluginsView.list"))]
