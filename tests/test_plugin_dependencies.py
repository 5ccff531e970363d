"""One-way dependencies between the plugins (issue 14, point 2).

    plugin (strict_content, events, sharing, ...) ──► buildcore ──► thainews
           └──────────────────────────────────────────────────────► thainews

A plugin imports the pure functions (`thainews`), the shared Pelican-side plumbing
(`buildcore`: the problem report and how a build stops, paths, autoreload detection) and its
own package; never another plugin. `thainews` imports no Pelican, not even through another
module, so `make check`, the importer and the tests can use it without building a site.
`newsroom/` (the officers' commands) and `bench/` reach plugins only through those two.

Read from the source with `ast`, so a dependency that only runs in a rare path (an import
inside a function) counts as much as one at the top of a file.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = ROOT / "plugins"
SHARED = {"thainews", "buildcore"}  # what any plugin may import
PURE = "thainews"


def packages() -> set[str]:
    """Every importable package in plugins/ (the plugins, thainews, buildcore)."""
    return {path.parent.name for path in PLUGINS.glob("*/__init__.py")}


def imports(path: Path, top_level_only: bool = False, names: bool = False) -> list[tuple[int, str]]:
    """(line, absolute module name) of each import in the file, or with `top_level_only` of those
    run when the module is imported (not inside a function); relative imports resolved against
    the file's package (`plugins/<package>/...`). With `names`, `from a.b import c` gives `a.b.c`
    (which may be a module of its own) as well as `a.b`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = path.relative_to(PLUGINS).parts[:-1] if path.is_relative_to(PLUGINS) else ()
    found = []
    for node in (_run_on_import(tree) if top_level_only else ast.walk(tree)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # `from .x import y`, `from . import y`: inside the file's package
                base = package[:len(package) - node.level + 1] if node.level <= len(package) else ("<outside>",)
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            if node.module:
                found.append((node.lineno, module))
            if names or not node.module:  # `from . import x` imports the module x
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _run_on_import(tree: ast.AST):
    """The nodes that run when the module is imported: all but the bodies of functions."""
    for child in ast.iter_child_nodes(tree):
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            yield from _run_on_import(child)


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_plugin_imports_another_plugin():
    plugin_names = packages() - SHARED
    wrong = []
    for path in sorted(PLUGINS.rglob("*.py")):
        own = path.relative_to(PLUGINS).parts[0]
        allowed = SHARED | {own} if own in plugin_names else {own} | ({PURE} if own != PURE else set())
        for line, module in imports(path):
            top = module.split(".")[0]
            if top in packages() - allowed or top == "<outside>":
                wrong.append(f"{shown(path)}:{line}: imports {module}")
    assert not wrong, ("a plugin may import thainews, buildcore and its own package, buildcore only "
                       "thainews, thainews nothing of plugins/:\n" + "\n".join(wrong))


def test_commands_reach_plugins_only_through_the_shared_packages():
    plugin_names = packages() - SHARED
    wrong = [f"{shown(path)}:{line}: imports {module}"
             for folder in ("newsroom", "bench") for path in sorted((ROOT / folder).rglob("*.py"))
             for line, module in imports(path) if module.split(".")[0] in plugin_names]
    assert not wrong, "use thainews or buildcore, not a plugin's module:\n" + "\n".join(wrong)


def test_thainews_imports_no_pelican():
    """Directly anywhere in a file, or through the module-level imports of other modules in plugins/."""
    wrong = []
    for path in sorted((PLUGINS / PURE).rglob("*.py")):
        wrong += [f"{shown(path)}:{line}: imports {module}"
                  for line, module in imports(path) if module.split(".")[0] == "pelican"]
        # Follow module-level imports through plugins/ (thainews.x -> y -> pelican).
        chain, seen = [(path, [])], set()
        while chain:
            current, via = chain.pop()
            for line, module in imports(current, top_level_only=True, names=True):
                step = [*via, f"{shown(current)}:{line}: imports {module}"]
                if module.split(".")[0] == "pelican" and via:
                    wrong.append(" -> ".join(step))
                for target in _source_of(module):
                    if target not in seen:
                        seen.add(target)
                        chain.append((target, step))
    assert not wrong, "plugins/thainews must not need Pelican:\n" + "\n".join(sorted(set(wrong)))


def _source_of(module: str) -> list[Path]:
    """The files in plugins/ that importing `module` runs (its package's __init__ too)."""
    parts = module.split(".")
    files = []
    for end in range(1, len(parts) + 1):
        base = PLUGINS.joinpath(*parts[:end])
        for candidate in (base / "__init__.py", base.with_suffix(".py")):
            if candidate.is_file():
                files.append(candidate)
    return files


def test_importing_thainews_loads_no_pelican():
    """The same, as Python sees it: third-party modules included."""
    modules = sorted(f"thainews.{path.stem}" for path in (PLUGINS / PURE).glob("*.py") if path.stem != "__init__")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import importlib\n"
            "for name in sys.argv[2:]: importlib.import_module(name)\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] == 'pelican'))")
    result = subprocess.run([sys.executable, "-c", code, str(PLUGINS), *modules],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"importing {', '.join(modules)} loads {result.stdout.strip()}"
