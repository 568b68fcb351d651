"""The history of changes, a core area written on the plugin contract (always on)."""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl

from . import models, recorder  # noqa: F401  (the table, and the flush listener)

PLUGIN = PluginInfo(
    code="audit",
    label="Historique",
    version="1.0.0",
    description="Qui a ajouté, modifié ou supprimé quoi, et quand.",
    kind=CORE,
    yearly=False,
)


@hookimpl
def occe_views(menu):
    from app.audit.views import AuditView

    menu.add_view(AuditView, "History", label=_("Historique des modifications"), icon="fa-history", category="Administration")
