"""The OCCE console: ``create_app()`` builds one application with its plugins."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the console: configuration, extensions, security, plugins, views, CLI.

    ``config`` overrides ``config.py`` and the environment. Each call builds a
    new AppBuilder: FAB keeps state on it, and tests build many applications.
    The database is never migrated here (``flask occe upgrade`` does it).
    """
    from flask_appbuilder import AppBuilder

    from app import errors, hardening, settings
    from app.cli import register_cli
    from app.extensions import csrf, db, migrate
    from app.home import HomeView
    from app.plugins.manager import PluginManager
    from app.plugins.menu import ConsoleMenu
    from app.plugins.registry import register_plugins, role_definitions
    from app.security.manager import OcceSecurityManager
    from app.templating import template_context

    instance_path = os.environ.get("OCCE_INSTANCE_PATH") or (config or {}).get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=str(instance_path or ROOT / "instance"))
    app.config.from_object("config")
    if config:
        app.config.update(config)
    settings.finalize(app)

    # CSRFProtect before FAB: without it FAB deletes on a plain GET.
    csrf.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)

    manager = PluginManager.from_config(app.config).load()
    app.extensions["occe_plugins"] = manager
    app.config["FAB_ROLES"] = role_definitions(manager)

    with app.app_context():
        appbuilder = AppBuilder(
            indexview=HomeView,
            security_manager_class=OcceSecurityManager,
            base_template="occe/base.html",
            menu=ConsoleMenu(),
            update_perms=False,
        )
        appbuilder.init_app(app, db.session)
        register_plugins(appbuilder, manager)

    app.context_processor(template_context)
    register_cli(app, manager)
    errors.register(app)
    hardening.register(app)
    return app
