"""A plugin whose hooks raise: its error is recorded, every other plugin keeps working."""

from app.plugins import FEDERAL, PluginInfo, hookimpl

PLUGIN = PluginInfo(code="raising_hook", label="Crochets en panne", kind=FEDERAL)


@hookimpl
def occe_views(menu):
    raise RuntimeError("panne volontaire dans occe_views")


@hookimpl
def occe_dashboard_cards(year):
    raise RuntimeError("panne volontaire dans occe_dashboard_cards")


@hookimpl
def occe_report_sections(year):
    raise RuntimeError("panne volontaire dans occe_report_sections")


@hookimpl
def occe_role_permissions():
    return {"Conseil": [(".*", ".*")]}
