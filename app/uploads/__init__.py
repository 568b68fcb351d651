"""Uploaded files, a core area on the plugin contract (always on).

Other areas attach files to their records (a CRFS's quitus, an aid request's
budget, a meeting's minutes) through :mod:`app.uploads.views`; the checks
(kind by content, size) and the downloads live here once.
"""

from app.plugins import CORE, PluginInfo

from . import models  # noqa: F401  (registers the tables)

PLUGIN = PluginInfo(
    code="uploads",
    label="Fichiers joints",
    version="1.0.0",
    description="Pièces jointes déposées dans la console (CRFS, aides, comptes rendus) : type et taille vérifiés, contenu gardé en base.",
    kind=CORE,
    yearly=False,
)
