"""A plugin whose import fails: the console must start without it and show the error."""

raise RuntimeError("panne volontaire à l'import")
