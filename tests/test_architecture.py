"""The dependency rules of ARCHITECTURE.md hold: layers, public APIs, a kernel without flask.request."""
from __future__ import annotations

import ast
import io
import logging
from contextlib import redirect_stdout
from pathlib import Path

import catalog

ROOT = Path(catalog.__file__).resolve().parent.parent
FEATURES = ("accounts", "admin", "audit", "exports", "imports", "jobs", "partners", "public", "recognitions",
            "records", "search", "trace", "violations")


def test_import_contracts_are_kept():
    """layers, public APIs only, no demo generator at runtime (pyproject ``[tool.importlinter]``)."""
    from importlinter.cli import lint_imports

    printed = io.StringIO()
    enabled = [lg for lg in logging.root.manager.loggerDict.values()
               if isinstance(lg, logging.Logger) and not lg.disabled]
    try:
        with redirect_stdout(printed):
            status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        for logger in enabled:          # its dictConfig disables every existing logger; later tests read logs
            logger.disabled = False
    assert status == 0, printed.getvalue()


def test_every_feature_package_is_under_a_contract():
    """A new feature package must be placed in the layers (and ARCHITECTURE.md) before it can land."""
    found = {p.name for p in (ROOT / "catalog").iterdir() if (p / "__init__.py").exists()} - {"kernel", "platform"}
    assert found == set(FEATURES)
    config = (ROOT / "pyproject.toml").read_text()
    architecture = (ROOT / "ARCHITECTURE.md").read_text()
    for name in FEATURES:
        assert config.count(f'"catalog.{name}"') + config.count(f"catalog.{name} ") >= 1, name
        assert f"`catalog/{name}/`" in architecture, f"ARCHITECTURE.md does not describe catalog/{name}/"


def _imports_of(path: Path) -> list[tuple[str, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
    return found


def test_the_kernel_never_reads_the_request():
    """The kernel is called by web views, commands and jobs alike: it is given what it needs."""
    offenders = []
    for path in sorted((ROOT / "catalog" / "kernel").rglob("*.py")):
        for module, name in _imports_of(path):
            if (module == "flask" and name in ("request", "session", "g")) or module.startswith("flask.globals") \
                    or module in ("flask.request", "werkzeug.wrappers"):
                offenders.append(f"{path.relative_to(ROOT)}: {module} {name}")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "request" and \
                    isinstance(node.value, ast.Name) and node.value.id == "flask":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: flask.request")
    assert offenders == []
