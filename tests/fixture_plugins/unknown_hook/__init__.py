"""A plugin implementing a hook no spec defines (a typo): refused, with its error shown."""

from app.plugins import PluginInfo, hookimpl

PLUGIN = PluginInfo(code="unknown_hook", label="Crochet inconnu")


@hookimpl
def occe_dashbord_cards(year):
    return []
