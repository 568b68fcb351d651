"""The association's directory, a core area written on the plugin contract (always on)."""

from flask_babel import lazy_gettext as _

from app.plugins import CORE, PluginInfo, hookimpl

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="directory",
    label="Annuaire",
    version="1.0.0",
    description="Secteurs, écoles, coopératives, personnes, classes, adhésions et accompagnement.",
    kind=CORE,
    yearly=False,
)
