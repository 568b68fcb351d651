"""Alembic for the core and for each plugin, each with its own version table.

The core's history lives in ``migrations/`` (table ``alembic_version``) and
owns the ``ab_*`` and ``occe_*`` tables. Each plugin ships
``plugins/<code>/migrations/versions`` and owns the ``<code>_*`` tables,
recorded in ``<code>_alembic_version``. Each side's autogenerate ignores the
other's tables, so a removed plugin's tables are never proposed for a drop.
A plugin's ``migrations/env.py`` is two lines that call :func:`run_plugin_env`.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from app.extensions import db
from app.plugins.manager import LoadedPlugin

CORE_TABLE_PREFIXES = ("ab_", "occe_")


def version_table(code: str) -> str:
    return f"{code}_alembic_version"


def core_include_object(obj, name, type_, reflected, compare_to) -> bool:
    """The core's autogenerate sees only FAB's and the core's tables."""
    if type_ == "table":
        return bool(name) and name.startswith(CORE_TABLE_PREFIXES)
    return True


def plugin_include_object(code: str):
    """A plugin's autogenerate sees only its own ``<code>_*`` tables."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table":
            return bool(name) and name.startswith(f"{code}_") and name != version_table(code)
        return True

    return include


def configure_sqlite(connection) -> None:
    """Batch migrations recreate tables: SQLite must not cascade while they do."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        # End the transaction the statement began, or Alembic would run inside
        # it and never commit its version row.
        connection.commit()


def plugin_config(plugin: LoadedPlugin) -> Config:
    if plugin.migrations_dir is None:
        raise ValueError(f"Le plugin « {plugin.code} » n'a pas de dossier migrations/versions.")
    config = Config()
    config.set_main_option("script_location", str(plugin.migrations_dir))
    config.attributes["occe_plugin_code"] = plugin.code
    return config


def run_plugin_env() -> None:
    """The body of every plugin's ``migrations/env.py`` (online mode only)."""
    from alembic import context

    code = context.config.attributes["occe_plugin_code"]
    if context.is_offline_mode():
        raise RuntimeError("Plugin migrations run online only (flask occe upgrade).")
    with db.engine.connect() as connection:
        configure_sqlite(connection)
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            version_table=version_table(code),
            include_object=plugin_include_object(code),
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


def is_installed(code: str) -> bool:
    """Whether the plugin's version table exists (its migrations ran once)."""
    return inspect(db.engine).has_table(version_table(code))


def upgrade_plugin(plugin: LoadedPlugin, revision: str = "heads") -> bool:
    """Upgrade one plugin's tables; return True when this was its first install."""
    first = not is_installed(plugin.code)
    command.upgrade(plugin_config(plugin), revision)
    return first


def downgrade_plugin(plugin: LoadedPlugin, revision: str = "base") -> None:
    command.downgrade(plugin_config(plugin), revision)


def new_revision(plugin: LoadedPlugin, message: str, autogenerate: bool = True) -> None:
    command.revision(plugin_config(plugin), message=message, autogenerate=autogenerate)


def plugin_heads(plugin: LoadedPlugin) -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(plugin_config(plugin)).get_heads())


def plugin_current(code: str) -> tuple[str, ...]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": version_table(code)})
        return tuple(context.get_current_heads())


def installed_plugin_codes() -> list[str]:
    """Codes of every plugin that has tables, present on disk or not."""
    suffix = "_alembic_version"
    return sorted(
        name[: -len(suffix)] for name in inspect(db.engine).get_table_names() if name.endswith(suffix) and name != "alembic_version"
    )


def plugin_tables(code: str) -> list[str]:
    return sorted(name for name in inspect(db.engine).get_table_names() if name.startswith(f"{code}_"))


def drop_plugin_tables(code: str) -> list[str]:
    """Drop every ``<code>_*`` table and the version table. Only ``flask occe plugin purge`` calls this."""
    tables = plugin_tables(code)
    preparer = db.engine.dialect.identifier_preparer
    with db.engine.connect() as connection:
        configure_sqlite(connection)
        for name in tables:
            suffix = " CASCADE" if connection.dialect.name == "postgresql" else ""
            connection.execute(text(f"DROP TABLE IF EXISTS {preparer.quote(name)}{suffix}"))
        connection.commit()
    return tables
