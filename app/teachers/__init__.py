"""Teachers answer the end-of-August proposals online, without an account (issue 11; being written)."""

from app.plugins import CORE, PluginInfo

PLUGIN = PluginInfo(
    code="teachers",
    label="Réponses des enseignants en ligne",
    version="1.0.0",
    description="Lien personnel par coopérative pour répondre aux propositions de fin août, sans compte.",
    kind=CORE,
    yearly=False,
)
