"""The import graph (issue 13): no module is in an import cycle, and the import-linter contracts
in pyproject.toml break when a module imports across the layers.

What counts as a cycle: modules importing one another round a loop, module by module, as grimp
reads the source. An import inside a function counts (it runs too, just later); an import
under `if TYPE_CHECKING:` does not (it never runs). `from counter_tui.queue import service`
is an import of the module `counter_tui.queue.service`, not of the package: that Python runs
`counter_tui/queue/__init__.py` on the way is not an edge, or every package whose `__init__`
re-exported a submodule would be in a "cycle" with it. Nor are packages taken as one node:
`cases` importing a module of `notices` whose other module imports `cases` is two chains that
each go one way, not a loop any import runs round.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "src" / "counter_tui"


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, without recursion:
    an import chain may be deeper than Python's recursion limit)."""
    edges = {
        m: sorted(graph.find_modules_directly_imported_by(m) & graph.modules) for m in graph.modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(edges[imported])))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found


def test_no_module_of_the_project_is_in_an_import_cycle() -> None:
    graph = grimp.build_graph("counter_tui", exclude_type_checking_imports=True, cache_dir=None)
    assert "counter_tui.cli.root" in graph.modules  # the graph is the project's

    assert cycles(graph) == []


def test_a_cycle_is_found_however_long_it_is() -> None:
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("e", "f")]:
        graph.add_import(importer=importer, imported=imported)

    assert cycles(graph) == [{"a", "b", "c"}]


# --- the contracts fail on a violation ---------------------------------------------------------

LAYERS = "Layers: launcher, CLI, benches, UI, application layer, core"
CLI_UI = "The CLI imports the UI only to start it"
TEXTUAL = "Only the UI imports Textual"
HALL_APART = "The hall display uses nothing of the clerk's app"
CLERK_APART = "The clerk's app uses nothing of the hall display nor of the rating pad"
PAD_APART = "The rating pad uses nothing of the clerk's app"


def lint_a_copy(tmp_path: Path, file: str, line: str) -> dict[str, str]:
    """Run lint-imports on a copy of the package with `line` appended to `file`; each
    contract's name → KEPT or BROKEN."""
    copy = tmp_path / "src" / "counter_tui"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = copy / file
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as fh:
        fh.write(f"\n{line}\n")
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=tmp_path,
        env=os.environ | {"PYTHONPATH": str(tmp_path / "src")},
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE))
    assert done.returncode == (1 if "BROKEN" in verdicts.values() else 0), done.stdout
    return verdicts


@pytest.mark.parametrize(
    ("file", "line", "broken"),
    [
        # The core reaching up into the application layer.
        ("cases/rules.py", "import counter_tui.desk.node", LAYERS),
        # The UI importing the command line.
        # (the CLI starts the hall display too, so the clerk's app would reach it through it).
        ("ui/app.py", "import counter_tui.cli.root", (LAYERS, CLERK_APART)),
        # A new top-level module nobody placed in a layer.
        ("relay.py", "import counter_tui.desk.node", LAYERS),
        # A command doing its work through the UI's modules instead of the desk.
        ("cli/queue.py", "import counter_tui.ui.hall.callview", CLI_UI),
        # The application layer importing Textual.
        ("desk/node.py", "import textual", TEXTUAL),
        # The hall display and the clerk's app reaching into each other.
        ("ui/hall/display.py", "import counter_tui.ui.screens.login", HALL_APART),
        ("ui/screens/login.py", "import counter_tui.ui.hall.feed", CLERK_APART),
        # The rating pad and the clerk's app likewise.
        ("ui/pad/app.py", "import counter_tui.ui.screens.login", PAD_APART),
        ("ui/screens/login.py", "import counter_tui.ui.pad.feed", CLERK_APART),
    ],
    ids=[
        "core-to-desk",
        "ui-to-cli",
        "unplaced-module",
        "cli-to-ui",
        "textual-in-desk",
        "hall-to-clerk",
        "clerk-to-hall",
        "pad-to-clerk",
        "clerk-to-pad",
    ],
)
def test_a_contract_breaks_on_a_violation(
    tmp_path: Path, file: str, line: str, broken: str | tuple[str, ...]
) -> None:
    verdicts = lint_a_copy(tmp_path, file, line)

    expected = {broken} if isinstance(broken, str) else set(broken)
    assert verdicts == {name: "BROKEN" if name in expected else "KEPT" for name in verdicts}
    assert set(verdicts) == {LAYERS, CLI_UI, TEXTUAL, HALL_APART, CLERK_APART, PAD_APART}
