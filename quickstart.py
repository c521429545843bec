#!/usr/bin/env python3
"""Quick start: `python3 quickstart.py demo` opens the demo, `python3 quickstart.py test` runs the
whole test suite.

Both make (once) a virtual environment in .venv beside this file and install counter-tui into it
with its test tools, pinned by requirements.lock, so that they work on a fresh machine with only
Python 3.11+ and pip: Debian 12 and Ubuntu 23.04+ refuse `pip install` into the system Python
(PEP 668, "externally managed") and Debian has no `python` command, only `python3`. Where the
system Python has no `ensurepip` (Debian without python3-venv), the environment is made without
pip and the system's pip installs into it (`pip --python`, pip ≥ 22.3).

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
#: What the install depends on: a change to any of these installs again.
INPUTS = ("pyproject.toml", "requirements.lock")
STAMP = VENV / "counter-tui-installed"
#: The whole suite on every core and two more workers (pytest-xdist): a test often waits on
#: PostgreSQL, a child process or a pty. With one worker a core the two cores of CI were busy 64%
#: of the run (30.6 CPU-minutes in 24 minutes), and with one more worker still about 76% (27
#: CPU-minutes in 19). Asked-for tests run in one process.
WHOLE_SUITE = ("-n", str((os.cpu_count() or 1) + 2), "--dist", "worksteal")
USAGE = "用法：python3 quickstart.py demo|test [参数…]（demo 打开演示，test 运行全部测试）"


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print(f"counter-tui 需要 Python 3.11 或更新版本，这里是 {sys.version.split()[0]}")
        return 2
    if not argv or argv[0] not in ("demo", "test"):
        print(USAGE)
        return 2
    command, rest = argv[0], argv[1:]
    python = _environment()
    if python is None:
        return 2
    if command == "demo":
        return _run([str(_script("counter-tui")), "demo", *rest])
    _compile(python)
    return _run([str(python), "-m", "pytest", *(rest or WHOLE_SUITE)])


def _compile(python: Path) -> None:
    """Compile the app's modules once, before the suite: its tests start hundreds of child
    programs (the command line, the hub, the app in a pty), and where PYTHONDONTWRITEBYTECODE
    is set (as on some CI machines) each of them would compile every module it imports again,
    about a second of CPU each. compileall writes the cache whatever that variable says."""
    _quiet([str(python), "-m", "compileall", "-q", "-j", "0", str(ROOT / "src")])


def _environment() -> Path | None:
    """The virtual environment's Python, made and installed as needed; None after saying why."""
    python = _script("python")
    if not python.exists():
        print(f"创建虚拟环境 {VENV} …", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (subprocess.CalledProcessError, OSError):
            # No ensurepip (Debian's python3 without python3-venv): make it bare, and let the
            # system's pip install into it below.
            venv.EnvBuilder(with_pip=False, clear=True).create(VENV)
    digest = _digest()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8") == digest:
        return python
    pip = _pip(python)
    if pip is None:
        print(
            "找不到 pip：请先安装（Debian/Ubuntu：sudo apt install python3-pip 或 python3-venv），"
            "再运行本命令"
        )
        return None
    print("安装 counter-tui 和测试工具（按 requirements.lock）…", flush=True)
    install = [*pip, "install", "-c", "requirements.lock", "-e", ".[test]"]
    if _run(install) != 0:
        print("安装失败：见上面 pip 的输出；网络恢复后再运行本命令即可继续")
        return None
    STAMP.write_text(digest, encoding="utf-8")
    return python


def _pip(python: Path) -> list[str] | None:
    """The pip command that installs into the environment: its own, else the system's."""
    if _quiet([str(python), "-m", "pip", "--version"]):
        return [str(python), "-m", "pip"]
    if _quiet([sys.executable, "-m", "pip", "--version"]):
        return [sys.executable, "-m", "pip", "--python", str(python)]
    return None


def _script(name: str) -> Path:
    folder = VENV / ("Scripts" if os.name == "nt" else "bin")
    suffix = ".exe" if os.name == "nt" else ""
    return folder / f"{name}{suffix}"


def _digest() -> str:
    sha = hashlib.sha256()
    for name in INPUTS:
        sha.update((ROOT / name).read_bytes())
    return sha.hexdigest()


def _quiet(command: list[str]) -> bool:
    return subprocess.run(command, cwd=ROOT, capture_output=True).returncode == 0


def _run(command: list[str]) -> int:
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
