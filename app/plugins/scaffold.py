"""``flask occe plugin new CODE``: writes a working action plugin from ``scaffold_template/``.

Template files end in ``.tmpl`` (so nothing imports or collects them) and use
plain markers: ``__CODE__``, ``__LABEL__``, ``__CLASS__``, ``__LOWERCLASS__``, ``__DATE__``.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from app.plugins.info import code_problem

TEMPLATE_DIR = Path(__file__).parent / "scaffold_template"
CORE_MAKO = Path(__file__).resolve().parents[2] / "migrations" / "script.py.mako"


class ScaffoldError(ValueError):
    """Why the plugin could not be created (in French)."""


def class_name(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_"))


def scaffold(code: str, destination: Path, label: str | None = None) -> Path:
    """Create ``destination/code`` and return its path."""
    problem = code_problem(code)
    if problem:
        raise ScaffoldError(problem)
    destination = Path(destination)
    target = destination / code
    if target.exists():
        raise ScaffoldError(f"Le dossier {target} existe déjà.")
    if not destination.is_dir():
        raise ScaffoldError(f"Le dossier des plugins {destination} n'existe pas.")
    markers = {
        "__CODE__": code,
        "__LABEL__": (label or code.replace("_", " ").capitalize()).replace('"', "'"),
        "__LOWERCLASS__": class_name(code).lower(),
        "__CLASS__": class_name(code),
        "__DATE__": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
    }
    for source in sorted(TEMPLATE_DIR.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE_DIR).with_suffix("")
        if relative.name == "initial.py":
            relative = relative.with_name(f"{code}_0001_initial.py")
        text = source.read_text(encoding="utf-8")
        for marker, value in markers.items():
            text = text.replace(marker, value)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copyfile(CORE_MAKO, target / "migrations" / "script.py.mako")
    return target
