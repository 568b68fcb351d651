"""Alembic environment of La Picardie en Poésie: the core runs it with this plugin's version table."""

from app.plugins.migrations import run_plugin_env

run_plugin_env()
