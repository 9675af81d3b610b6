"""The pure core never imports Django, a database or a renderer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "fascicle"
PURE = ("model", "checks", "compute", "document")
FORBIDDEN = ("django", "psycopg", "sqlite3", "sqlalchemy", "jinja2", "docx", "xlsxwriter", "matplotlib", "typst",
             "weasyprint", "rich", "typer", "fascicle.cli", "fascicle.source", "fascicle.web", "fascicle.render")


def imports(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_import_no_edge(layer: str) -> None:
    files = sorted((SRC / layer).rglob("*.py"))
    assert files
    bad = {(f.name, name) for f in files for name in imports(f) if name.startswith(FORBIDDEN)}
    assert bad == set()
