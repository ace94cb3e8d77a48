"""Dependencies between layers point one way: reads never import writes.

Selectors (reads) and models never import any app's `services` (writes), so showing a page
can never change anything by accident and a service may use selectors and models without an
import cycle. Read from the source with `ast`, as plain Python: a function-level import
counts too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent for p in ROOT.glob("*/apps.py"))


def modules(name: str) -> list[Path]:
    """Every app's module `name` (`name.py`, or the files of a package `name/`)."""
    found = []
    for app in APPS:
        found += [app / f"{name}.py"] if (app / f"{name}.py").exists() else []
        found += sorted((app / name).glob("*.py")) if (app / name).is_dir() else []
    return found


def services_imports(source: str) -> list[str]:
    """The imports of a `services` module (ours or another app's) in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            f"line {node.lineno}: {name}"
            for name in names
            if "services" in name.replace(".", " ").split()
        ]
    return found


def offenders(paths: list[Path]) -> dict[str, list[str]]:
    imports = {str(p.relative_to(ROOT)): services_imports(p.read_text("utf-8")) for p in paths}
    return {path: found for path, found in imports.items() if found}


def test_every_import_form_of_services_is_seen():
    for line in (
        "from .services import x",
        "from . import services",
        "import quizzes.services",
        "from quizzes.services import x",
        "from quizzes import services as s",
        "def f():\n    from ..services import x",
    ):
        assert services_imports(line), line
    assert not services_imports("from .selectors import services_visible\nimport servicesx")


def test_selectors_never_import_services():
    selectors = modules("selectors")
    assert len(selectors) >= 7  # the apps with reads: a moved folder must not empty the test
    assert offenders(selectors) == {}


def test_models_never_import_services():
    models = modules("models")
    assert len(models) >= 9
    assert offenders(models) == {}
