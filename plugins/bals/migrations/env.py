"""Alembic environment of this plugin: the core runs it with this plugin's version table."""

from app.plugins.migrations import run_plugin_env

run_plugin_env()
