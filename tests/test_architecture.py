"""The house rules of docs/architecture.md, checked on the source: imports run downward through
the layers, `workflows/` knows nothing of the web or the database, and no two modules import
each other, however indirectly (function-level imports included: one that dodges a cycle is
still a cycle). Imports under `if TYPE_CHECKING:` are annotations only and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("compactcases", "workflows")

# What each layer may import: its own layer and those below it. See docs/architecture.md.
LAYERS = ("domain", "persistence", "foundation", "services", "web", "application")


def layer_of(module: str) -> str:
    """The layer a module belongs to, by where it lives."""
    parts = module.split(".")
    if parts[0] == "workflows":
        return "domain"
    if module in ("compactcases", "compactcases.cli", "compactcases.reminders.jobs"):
        return "application"
    if parts[1:2] == ["demo"]:
        return "application"
    if parts[1] in ("models", "extensions", "config", "localtime"):
        return "persistence"
    if parts[1] in ("policy", "scopes", "history", "rule_sets"):
        return "foundation"
    if parts[1] in ("api", "main", "fields", "filters", "widgets", "headers"):
        return "web"
    if parts[-1] in (
        "views",
        "forms",
        "list_forms",
        "rule_set_forms",
        "regional_forms",
        "regional_views",
        "raise_forms",
        "raise_views",
    ):
        return "web"
    return "services"


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str, known: set[str] | None = None) -> set[str]:
    """Every module `module` imports, at any depth of its code, resolved to absolute names.
    `from package import name` counts as importing `package.name` when that is a module in
    `known`, and as importing `package` otherwise."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    prefix = ".".join(base)
                    target = f"{prefix}.{child.module}" if child.module else prefix
                else:
                    target = child.module or ""
                submodules = {f"{target}.{alias.name}" for alias in child.names}
                if known is not None and submodules & known:
                    found.update(submodules & known)
                else:
                    found.add(target)
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            modules[_module_name(path)] = path
    known = set(modules)
    return {
        name: {target for target in _imports(path, name, known) if target in modules}
        for name, path in modules.items()
    }


GRAPH = _graph()


def test_the_graph_sees_the_whole_project():
    assert "compactcases.cases.workflow" in GRAPH
    assert "workflows.dispute" in GRAPH["compactcases.cases.workflow"]


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.startswith("workflows")))
def test_workflows_import_neither_flask_nor_sqlalchemy_nor_the_app(module):
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    outside = {
        name
        for name in _imports(path, module)
        if name.split(".")[0] in ("flask", "flask_sqlalchemy", "sqlalchemy", "compactcases")
    }
    assert outside == set()


def test_imports_run_downward_through_the_layers():
    upward = sorted(
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in targets
        if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module))
        # A package's __init__ naming its own submodules is how Python packages work.
        and not target.startswith(module + ".")
    )
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_two_modules_import_each_other():
    # A package's __init__ that re-exports its submodules is not a cycle with them.
    graph = {
        module: {t for t in targets if not t.startswith(module + ".")}
        for module, targets in GRAPH.items()
    }
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
