"""Meta-tests (the datasette way): every hook has a docstring, a documentation section and a test."""

from __future__ import annotations

import ast
import inspect
import re

import pytest

from app import ROOT
from app.plugins import hookspecs
from app.plugins.manager import HOOK_NAMES

DOC = (ROOT / "docs" / "plugin_hooks.md").read_text(encoding="utf-8")


def test_there_are_hooks():
    assert len(HOOK_NAMES) >= 6


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_has_a_docstring(hook):
    assert (inspect.getdoc(getattr(hookspecs, hook)) or "").strip()


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_is_documented_with_an_example(hook):
    match = re.search(rf"^## {hook}\((.*?)\)\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/plugin_hooks.md has no section '## {hook}(...)'"
    signature = inspect.signature(getattr(hookspecs, hook))
    assert match.group(1).replace(" ", "") == ",".join(signature.parameters)
    assert "```python" in match.group(2) and "@hookimpl" in match.group(2)


def _test_function_names() -> set[str]:
    names = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


@pytest.mark.parametrize("hook", HOOK_NAMES)
def test_every_hook_has_a_test(hook):
    assert any(name.startswith(f"test_{hook}") for name in _test_function_names()), f"write test_{hook}_... in tests/test_hooks.py"


def test_the_documentation_has_no_hook_that_does_not_exist():
    documented = set(re.findall(r"^## (occe_\w+)\(", DOC, re.M))
    assert documented == set(HOOK_NAMES)
