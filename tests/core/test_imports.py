"""Import hygiene (STYLE.md): the core never imports Textual, and `counter-tui --help` pays for
neither Textual nor SQLAlchemy. Each check runs in a fresh interpreter, because this test
process has long since imported everything."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("textual", "sqlmodel", "sqlalchemy")

REPORT = """
import json, sys
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))))
"""


def core_modules() -> list[str]:
    """Every module of the package except the UI, the CLI (checked through --help below) and the
    migration scripts (run by Alembic, checked through `upgrade` below)."""
    spec = importlib.util.find_spec("counter_tui")
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in ("ui", "cli", "__main__", "migrations") and parts != (
            "migrations",
            "__init__",
        ):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("counter_tui", *parts)))
    return names


def run_python(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    program = f"HEAVY = {HEAVY!r}\n" + code + REPORT
    return subprocess.run(
        [sys.executable, "-c", program, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def heavy_modules(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_core_is_discovered() -> None:
    modules = core_modules()
    for expected in (
        "counter_tui.journal.service",
        "counter_tui.accounts.service",
        "counter_tui.db",
    ):
        assert expected in modules
    assert not [m for m in modules if m.startswith(("counter_tui.ui", "counter_tui.cli"))]


IMPORT = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"


def test_no_core_module_imports_textual(tmp_path: Path) -> None:
    """Every core module imported in one fresh interpreter: Textual is not among what they load
    together, so it is in no single module's imports either. (One interpreter, not one per
    module: ~300 interpreters each loading SQLAlchemy cost minutes of CI.) When it fails, each
    module is imported alone to name the ones that do."""
    modules = core_modules()
    # Not the repo as working folder: its folders must not shadow the package.
    if "textual" not in heavy_modules(run_python(IMPORT, *modules, cwd=tmp_path)):
        return
    culprits = [
        m for m in modules if "textual" in heavy_modules(run_python(IMPORT, m, cwd=tmp_path))
    ]
    pytest.fail(f"these core modules import Textual: {culprits}")


def test_migrations_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from counter_tui.db import make_engine\n"
        "from counter_tui.schema import upgrade\n"
        "assert upgrade(make_engine('sqlite:///' + sys.argv[1], create=True)).at_head\n"
    )
    assert "textual" not in heavy_modules(run_python(code, str(tmp_path / "x.db"), cwd=tmp_path))


COMMAND = """
import json, os, runpy, sys
sys.argv = ["counter-tui", *json.loads(sys.argv[1])]
try:
    runpy.run_module("counter_tui", run_name="__main__")  # what `counter-tui` runs
except SystemExit as exit:
    print(json.dumps(exit.code))
"""


def run_command(argv: list[str], home: Path) -> tuple[object, list[str], str]:
    """Run the command line in a fresh interpreter: (exit code, heavy modules, stderr)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNTER_TUI_", "XDG_"))}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "c"), "XDG_DATA_HOME": str(home / "d")}
    done = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n" + COMMAND + REPORT, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    *_, code, heavy = done.stdout.strip().splitlines()
    return json.loads(code), json.loads(heavy), done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--version"],
        ["users", "--help"],
        ["users", "add", "--help"],
        ["db", "--help"],
        ["hub", "serve", "--help"],
        ["sync", "now", "--help"],
    ],
    ids=" ".join,
)
def test_help_needs_neither_textual_nor_sqlalchemy(argv: list[str], tmp_path: Path) -> None:
    code, heavy, err = run_command(argv, tmp_path)

    assert code in (0, None), err
    assert heavy == []


def test_the_app_on_a_machine_never_initialised_answers_without_loading_the_database_layer(
    tmp_path: Path,
) -> None:
    code, heavy, err = run_command([], tmp_path)

    assert code == 2 and "counter-tui init" in err
    assert heavy == []


def test_import_linter_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.exists(), "import-linter is part of the [test] extra"

    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
