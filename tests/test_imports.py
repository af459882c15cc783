"""The package's import graph: no cycle anywhere, and no stage importing a later one.

The graph is read from the source (every import statement, also those inside functions), so an import
added anywhere in advisor/ is checked without running it."""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"

# The pipeline, earliest first. A module may import its own stage and earlier ones, never a later one.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # expr/ast is data (frozen dataclasses, stdlib only) that the model's Rule carries, so it sits with the model.
    ("base", ("advisor", "advisor.i18n", "advisor.format", "advisor.errors", "advisor.expr.ast", "advisor.model", "advisor.report",
              "advisor.inert", "advisor.output")),
    ("knowledge", ("advisor.knowledge",)),
    ("expr", ("advisor.expr",)),
    ("load", ("advisor.load",)),
    ("engine", ("advisor.engine",)),
    ("explain", ("advisor.explain",)),
    ("ranking", ("advisor.ranking",)),
    ("plan", ("advisor.plan",)),
    ("advise", ("advisor.advise",)),
    ("records", ("advisor.records",)),
    ("toolkit", ("advisor.toolkit",)),
    ("render", ("advisor.render",)),
    ("cli", ("advisor.cli", "advisor.web")),
    ("entry", ("advisor.__main__",)),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The advisor modules `name` imports: `from .x import y` is an edge to x.y when y is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "advisor")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "advisor":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in modules else target)
    return {m for m in out if m != name}


def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def stage(module: str) -> int:
    for index, (_, prefixes) in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes if p != "advisor") or module == "advisor":
            return index
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES in {Path(__file__).name}")


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}                       # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_imports_form_no_cycle():
    cycle = _cycle(graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_imports_never_reach_a_later_stage():
    upward = sorted(f"{a} ({STAGES[stage(a)][0]}) imports {b} ({STAGES[stage(b)][0]})"
                    for a, targets in graph().items() for b in targets if stage(b) > stage(a))
    assert not upward, "\n".join(upward)


def test_imports_every_module_has_a_stage():
    for module in graph():
        stage(module)


def test_imports_renderers_only_format():
    """Renderers read the Report (its explanation included); they never run the engine or the explainer."""
    reached = sorted(f"{a} imports {b}" for a, targets in graph().items() if a.startswith("advisor.render")
                     for b in targets if b.startswith(("advisor.engine", "advisor.explain", "advisor.advise")))
    assert not reached, "\n".join(reached)


def test_imports_only_the_engine_module_imports_durable():
    durable = ("durable", "durable_rules_engine")     # its Python layer, and its C module the engine calls
    importers = set()
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in durable:
                importers.add(name)
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] in durable for a in node.names):
                importers.add(name)
    assert importers == {"advisor.engine.durable"}


def test_imports_the_checker_sees_a_cycle_and_an_upward_import():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    assert stage("advisor.load.cases") < stage("advisor.render.text")
    assert _imports("advisor.expr.check", PACKAGE / "expr" / "check.py", _modules()) >= {"advisor.expr.ast"}


def test_imports_only_the_word_catalogue_chooses_a_language():
    """No `lang == "en"` (or "zh") outside i18n.py: views ask the catalogue (pick, t, words)."""
    test = re.compile(r"""\blang\s*[!=]=\s*["'](?:en|zh)["']""")
    found = sorted(f"{name}: {line.strip()}" for name, path in _modules().items() if name != "advisor.i18n"
                   for line in path.read_text(encoding="utf-8").splitlines() if test.search(line))
    assert not found, "\n".join(found)
