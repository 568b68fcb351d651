"""Alembic environment of the core (``ab_*`` and ``occe_*`` tables); run by Flask-Migrate.

Plugins' tables are left out (see app/plugins/migrations.py): each plugin
migrates its own tables with its own version table.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.extensions import db
from app.plugins.migrations import configure_sqlite, core_include_object

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name)
log = logging.getLogger("alembic.env")


def run_migrations_offline() -> None:
    context.configure(
        url=str(db.engine.url),
        target_metadata=db.metadata,
        include_object=core_include_object,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            log.info("No changes in schema detected.")

    with db.engine.connect() as connection:
        configure_sqlite(connection)
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            include_object=core_include_object,
            process_revision_directives=skip_empty,
            **current_app.extensions["migrate"].configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
