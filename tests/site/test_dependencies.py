"""pyproject.toml declares every distribution our code imports directly — not only what
Wagtail or another package happens to pull in, which may change with their next release.

Read from the source with `ast`, as plain Python: every `import` and `from … import` (at
any depth, in functions too) of the apps, their migrations and manage.py must name a
distribution in `[project] dependencies`; those of tests/ and bench/ may also name one in
the `test` extra. The installed packages say which distribution provides a module
(`importlib.metadata`); the standard library and our own modules need none.
"""

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import files, packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# The import names of our own packages, and the folder each lives in (`academy` is site/).
PACKAGES = {
    name: ROOT / SETUPTOOLS.get("package-dir", {}).get(name, name)
    for name in SETUPTOOLS["packages"]
}
OWN = set(PACKAGES) | {"tests", "bench"}


def normalised(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {
        normalised(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0))
        for requirement in requirements
    }


RUNTIME = declared(PYPROJECT["project"]["dependencies"])
TEST = RUNTIME | declared(PYPROJECT["project"]["optional-dependencies"]["test"])


def _imports_in(tree) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _optional_imports(tree) -> set[str]:
    """Modules the file tries to import and does without when they are missing (`try: import
    x` / `except ImportError`): a benchmark's optional comparison, not a dependency."""
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
            for h in node.handlers
        ):
            optional |= {m.split(".")[0] for body in node.body for m in _imports_in(body)}
    return optional


def imported_modules(source: str) -> set[str]:
    """The absolute modules `source` imports (a relative import is our own), but those it
    imports only optionally."""
    tree = ast.parse(source)
    optional = _optional_imports(tree)
    return {m for m in _imports_in(tree) if m.split(".")[0] not in optional}


@cache
def _top_level_providers() -> dict[str, list[str]]:
    return packages_distributions()  # reads every installed package's metadata: once


@cache
def _files_of(distribution: str) -> tuple[str, ...]:
    return tuple(str(path) for path in files(distribution) or ())


def distributions_of(module: str) -> set[str]:
    """The installed distribution(s) providing `module`: one, unless several share its
    top-level package (`tencentcloud.common` and `tencentcloud.sms`): then the one whose
    files hold the module's own folder."""
    candidates = _top_level_providers().get(module.split(".")[0], [])
    if len(set(candidates)) <= 1:
        return {normalised(name) for name in candidates}
    parts = module.split(".")
    for depth in range(len(parts), 1, -1):
        folder = "/".join(parts[:depth])
        owners = {
            normalised(name)
            for name in candidates
            if any(f == f"{folder}.py" or f.startswith(f"{folder}/") for f in _files_of(name))
        }
        if owners:
            return owners
    return {normalised(name) for name in candidates}


def undeclared(paths: list[Path], allowed: set[str]) -> dict[str, list[str]]:
    """Each imported distribution (or unknown module) not in `allowed`, with where."""
    missing: dict[str, list[str]] = {}
    for path in paths:
        for module in imported_modules(path.read_text("utf-8")):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in OWN or top == "__future__":
                continue
            if (path.parent / f"{top}.py").exists():  # a script's neighbour (bench/harness)
                continue
            provided_by = distributions_of(module) or {f"<no installed distribution: {top}>"}
            for distribution in provided_by - allowed:
                shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                missing.setdefault(distribution, []).append(str(shown))
    return {name: sorted(set(where)) for name, where in missing.items()}


def code_files() -> list[Path]:
    found = [ROOT / "manage.py"]
    for folder in PACKAGES.values():
        found += sorted(folder.rglob("*.py"))
    return found


def scanned_tests_and_benchmarks() -> list[Path]:
    return sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "bench").rglob("*.py"))


def test_the_scan_reads_every_form_of_import():
    source = (
        "import yaml, django.db\nfrom wagtail.models import Page\nfrom . import models\n"
        "def f():\n    from bs4 import BeautifulSoup\n"
        "def g():\n    import rjieba\n"
        "try:\n    import rjieba\nexcept ImportError:\n    pass\n"
    )
    assert imported_modules(source) == {"yaml", "django.db", "wagtail.models", "bs4"}
    assert distributions_of("yaml") == {"pyyaml"}
    assert distributions_of("tencentcloud.common.exception") == {"tencentcloud-sdk-python-common"}
    assert distributions_of("tencentcloud.sms.v20210111") == {"tencentcloud-sdk-python-sms"}


def test_an_undeclared_import_is_named(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("import bs4\nimport yaml, json\nimport no_such_module_at_all\n")
    assert undeclared([module], {"pyyaml"}) == {
        "beautifulsoup4": [str(module)],
        "<no installed distribution: no_such_module_at_all>": [str(module)],
    }


def test_the_code_imports_only_declared_distributions():
    paths = code_files()
    assert len(paths) > 100  # the apps were found: a moved folder must not empty the test
    assert undeclared(paths, RUNTIME) == {}


def test_tests_and_benchmarks_import_only_declared_distributions():
    paths = scanned_tests_and_benchmarks()
    assert len(paths) > 100
    assert undeclared(paths, TEST) == {}
