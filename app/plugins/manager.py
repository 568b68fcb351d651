"""Discovers the plugins, registers them with pluggy and calls their hooks in isolation.

pluggy alone stops at the first failure: ``load_setuptools_entrypoints``
lets an import error escape and a raising implementation aborts the whole
hook call. Here every import and every implementation runs under its own
``try``; the error is kept on the :class:`LoadedPlugin` and shown to
administrators, and the console goes on with the other plugins.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import logging
import pkgutil
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from app.plugins import hookspecs
from app.plugins.info import CORE, PluginInfo, code_problem

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "occe.plugins"

#: The core's own areas, written as plugins on the same hooks (always on).
BUILTIN_PLUGINS = (
    "app.years",
    "app.directory",
    "app.actions",
    "app.interventions",
    "app.mail",
    "app.loans",
    "app.documents",
    "app.uploads",
    "app.accounts",
    "app.aid",
    "app.sales",
    "app.trainings",
    "app.association",
    "app.partners",
    "app.teachers",
    "app.report",
    "app.audit",
    "app.plugins.admin",
)

HOOK_NAMES = tuple(name for name in dir(hookspecs) if name.startswith("occe_"))


@dataclass
class LoadedPlugin:
    """A plugin as the console found it: loaded, broken or blocked."""

    code: str
    source: str
    module: ModuleType | None = None
    info: PluginInfo | None = None
    builtin: bool = False
    blocked: bool = False
    import_error: str | None = None
    hook_errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.module is not None and self.import_error is None and not self.blocked

    @property
    def yearly(self) -> bool:
        return bool(self.info and self.info.yearly and not self.builtin)

    @property
    def label(self) -> str:
        return self.info.label if self.info else self.code

    @property
    def version(self) -> str:
        return self.info.version if self.info else ""

    @property
    def hooks(self) -> list[str]:
        if self.module is None:
            return []
        return sorted(name for name in HOOK_NAMES if _is_hookimpl(getattr(self.module, name, None)))

    @property
    def migrations_dir(self) -> Path | None:
        if self.module is None or not getattr(self.module, "__file__", None):
            return None
        path = Path(self.module.__file__).parent / "migrations"
        return path if (path / "versions").is_dir() else None

    @property
    def errors(self) -> list[str]:
        found = [self.import_error] if self.import_error else []
        found += [f"{hook} : {message}" for hook, message in self.hook_errors.items()]
        return found

    @property
    def status(self) -> str:
        if self.blocked:
            return "bloqué par la configuration"
        if self.import_error:
            return "en erreur (non chargé)"
        if self.hook_errors:
            return "chargé, avec erreurs"
        return "chargé"


def _is_hookimpl(obj: Any) -> bool:
    # A proxy such as ``flask.current_app`` imported at a plugin's top level raises
    # RuntimeError (not AttributeError) when looked into outside an app context.
    try:
        return callable(obj) and hasattr(obj, f"{hookspecs.PROJECT_NAME}_impl")
    except RuntimeError:
        return False


def _display_path(path: Path) -> str:
    """A plugin folder relative to the project when it lives there (``plugins/defimaths``)."""
    root = Path(__file__).resolve().parents[2]
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class PluginManager:
    """The plugins of one application; see ``create_app``."""

    def __init__(
        self,
        packages: Iterable[str] = ("plugins",),
        *,
        entry_points: bool = True,
        blocked: Iterable[str] = (),
        safe_mode: bool = False,
        builtins: Iterable[str] = BUILTIN_PLUGINS,
    ):
        self.packages = list(packages)
        self.entry_points = entry_points
        self.blocked = set(blocked)
        self.safe_mode = safe_mode
        self.builtins = list(builtins)
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, LoadedPlugin] = {}

    @classmethod
    def from_config(cls, config) -> PluginManager:
        return cls(
            config.get("OCCE_PLUGIN_PACKAGES", ["plugins"]),
            entry_points=config.get("OCCE_PLUGIN_ENTRY_POINTS", True),
            blocked=config.get("OCCE_BLOCKED_PLUGINS", []),
            safe_mode=config.get("OCCE_SAFE_MODE", False),
        )

    # --- discovery ---------------------------------------------------------

    def load(self) -> PluginManager:
        for module_name in self.builtins:
            self._load_module(module_name, source="cœur", builtin=True)
        if self.safe_mode:
            log.warning("Safe mode: no plugin loaded beyond the core.")
            return self
        for package_name in self.packages:
            self._load_package(package_name)
        if self.entry_points:
            self._load_entry_points()
        self.pm.check_pending()
        return self

    def _load_package(self, package_name: str) -> None:
        try:
            package = importlib.import_module(package_name)
        except ImportError:
            log.info("Plugin package %s not found", package_name)
            return
        for found in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            if not found.ispkg or found.name.startswith(("_", ".")):
                continue
            source = f"dossier {_display_path(Path(found.module_finder.path) / found.name)}"
            self._load_module(f"{package_name}.{found.name}", source=source, code=found.name)

    def _load_entry_points(self) -> None:
        for entry_point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            dist = getattr(entry_point, "dist", None)
            source = f"paquet {dist.name} {dist.version}" if dist else f"point d'entrée {entry_point.value}"
            self._load_module(entry_point.value, source=source, code=entry_point.name, loader=entry_point.load)

    def _load_module(
        self,
        module_name: str,
        *,
        source: str,
        code: str | None = None,
        builtin: bool = False,
        loader: Callable[[], ModuleType] | None = None,
    ) -> None:
        code = code or module_name.rsplit(".", 1)[-1]
        plugin = LoadedPlugin(code=code, source=source, builtin=builtin)
        if code in self.plugins:
            log.warning("Plugin %s found twice; %s ignored", code, source)
            return
        self.plugins[code] = plugin
        if code in self.blocked and not builtin:
            plugin.blocked = True
            return
        try:
            module = loader() if loader else importlib.import_module(module_name)
            plugin.info = self._read_info(module, code, builtin)
            if plugin.info.code != code:  # a core area named apart from its module
                plugin.code = plugin.info.code
                self.plugins[plugin.code] = self.plugins.pop(code)
            self._check_hook_names(module)
            self.pm.register(module, name=plugin.code)
            plugin.module = module
        except Exception as exc:  # a broken plugin must never stop the console
            plugin.import_error = _error_text(exc)
            log.error("Plugin %s failed to load:\n%s", code, traceback.format_exc())

    @staticmethod
    def _read_info(module: ModuleType, code: str, builtin: bool) -> PluginInfo:
        info = getattr(module, "PLUGIN", None)
        if not isinstance(info, PluginInfo):
            raise ValueError("le module ne définit pas PLUGIN = PluginInfo(...)")
        if builtin:
            return info
        if info.code != code:
            raise ValueError(f"PLUGIN.code « {info.code} » ne correspond pas au dossier « {code} »")
        if info.kind == CORE:
            raise ValueError("seul le cœur de la console peut déclarer le type « coeur »")
        problem = code_problem(info.code)
        if problem:
            raise ValueError(problem)
        return info

    @staticmethod
    def _check_hook_names(module: ModuleType) -> None:
        """Refuse a plugin implementing a hook that no spec defines (a typo, or an old name)."""
        for name in dir(module):
            value = getattr(module, name)
            if _is_hookimpl(value) and name not in HOOK_NAMES:
                raise ValueError(f"crochet inconnu « {name} » (voir app/plugins/hookspecs.py)")

    # --- access ------------------------------------------------------------

    def get(self, code: str) -> LoadedPlugin | None:
        return self.plugins.get(code)

    def loaded(self) -> list[LoadedPlugin]:
        """The plugins whose code is running, in load order (core first)."""
        return [plugin for plugin in self.plugins.values() if plugin.ok]

    def describe(self) -> list[LoadedPlugin]:
        """Every plugin found, loaded or not: feeds the Plugins page and ``flask occe plugins``."""
        return list(self.plugins.values())

    # --- hook calls --------------------------------------------------------

    def call(self, hook_name: str, plugins: Iterable[LoadedPlugin] | None = None, **kwargs) -> list[tuple[LoadedPlugin, Any]]:
        """Call ``hook_name`` on each plugin in turn; return ``(plugin, result)`` for those that answered."""
        results = []
        for plugin in self.loaded() if plugins is None else plugins:
            answered, result = self.call_one(plugin, hook_name, **kwargs)
            if answered:
                results.append((plugin, result))
        return results

    def call_one(self, plugin: LoadedPlugin, hook_name: str, **kwargs) -> tuple[bool, Any]:
        """Call one plugin's implementation; ``(False, None)`` when absent or raising."""
        if hook_name not in HOOK_NAMES:
            raise KeyError(f"unknown hook {hook_name}")
        impls = [impl for impl in getattr(self.pm.hook, hook_name).get_hookimpls() if impl.plugin_name == plugin.code]
        if not impls:
            return False, None
        impl = impls[0]
        try:
            result = impl.function(**{name: kwargs[name] for name in impl.argnames})
        except Exception as exc:
            plugin.hook_errors[hook_name] = _error_text(exc)
            log.error("Plugin %s failed in %s:\n%s", plugin.code, hook_name, traceback.format_exc())
            return False, None
        return True, result
