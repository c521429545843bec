"""The demo database: a throwaway node with the shipped catalog, the trainer's account and the
living hall (demo/hall.py), for `counter-tui demo` and the Quick start.

The database is built in a child process (`python -m counter_tui.demo.setup PATH --seed N
--date D`), so that the demo app is as light as a real node's: built inside the app's process,
the catalog import (pypinyin, the loader, Alembic's migrations) left the demo at 174 MB after
sign-in against a real node's 84 MB, memory freed but kept by the allocator (issue 12,
measured). Faker, which makes the hall's people, is imported there too.

`--keep PATH` builds the database at PATH and leaves it there; a PATH that already holds a demo
database is reopened as it is (its seed and day are kept in a small file beside it,
`PATH.hall.json`), and one that holds anything else is refused, never overwritten.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from counter_tui.clock import set_demo_today, today_local
from counter_tui.demo.hall_accounts import PASSWORD, TRAINER, DemoAccount, listed_accounts
from counter_tui.demo.isolation import refuse_other_than_demo
from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError
from counter_tui.settings import PrintSettings, Settings

#: Seconds the build may take on a slow PC (about 3 s on the development machine).
BUILD_TIMEOUT = 300

DEMO_SITE = "000000-DEMO"
DEMO_SITE_NAME = "演示站点（培训用）"
DEMO_USER = TRAINER.username
DEMO_PASSWORD = PASSWORD
#: Seeds drawn when none is given: short enough to read off the login screen and type again.
SEED_RANGE = (1, 99_999)


@dataclass(frozen=True)
class DemoDatabase:
    #: Where the demo's files are: the database (unless kept elsewhere) and the notices.
    folder: Path
    settings: Settings
    #: What the demo was asked for, with the seed and day it was built with filled in (the
    #: seed is None only for a kept database reopened without its `.hall.json`).
    options: DemoOptions = field(default_factory=DemoOptions)
    #: The accounts the login screen lists (the trainer's first); empty for an empty hall.
    accounts: tuple[DemoAccount, ...] = ()
    #: A kept database opened again rather than built.
    reopened: bool = False

    @property
    def kept(self) -> bool:
        """Whether the database stays after the demo ends (`--keep`)."""
        return self.options.keep is not None

    @property
    def path(self) -> Path:
        return self.options.keep if self.options.keep is not None else self.folder / "demo.db"

    @property
    def login_hint(self) -> tuple[str, str]:
        return DEMO_USER, DEMO_PASSWORD

    @property
    def seed(self) -> int | None:
        return self.options.seed

    def remove(self) -> None:
        """Delete the demo's files; a kept database is never deleted."""
        if not self.kept:
            shutil.rmtree(self.folder, ignore_errors=True)


def create_demo_database(
    options: DemoOptions | None = None, *, parent: Path | None = None
) -> DemoDatabase:
    """The demo of `options`: a new database in a new folder under `parent` (the system's
    temporary folder), or at `options.keep` (built there, or reopened when it holds a demo).

    With `options.today`, this process's days move to it (clock.set_demo_today), so that the
    app shows the demo's day; a reopened kept hall brings back the day it was built for.
    """
    options = options or DemoOptions()
    if options.keep is not None:
        reopened = _reopen(options)
        if reopened is not None:
            return reopened
    seed = options.seed if options.seed is not None else random.SystemRandom().randint(*SEED_RANGE)
    options = replace(options, seed=seed)
    day = options.today or today_local()
    if options.keep is not None:
        path = options.keep
        folder = _notices_home(path)
        cleanup = [path, *_companions(path)]
    else:
        folder = Path(tempfile.mkdtemp(prefix="counter-tui-demo-", dir=parent))
        path = folder / "demo.db"
        cleanup = [folder]
    argv = [sys.executable, "-m", "counter_tui.demo.setup", str(path), "--date", day.isoformat()]
    argv += ["--seed", str(seed)] if options.hall else ["--empty"]
    _run_build(argv, cleanup)
    if options.keep is not None:
        _remember(path, seed, day, hall=options.hall)
    if options.today is not None:
        set_demo_today(options.today)
    return DemoDatabase(
        folder=folder,
        settings=demo_settings(path, folder / "notices"),
        options=options,
        accounts=listed_accounts() if options.hall else (TRAINER,),
    )


def _run_build(argv: list[str], cleanup: list[Path]) -> None:
    def clean() -> None:
        for leftover in cleanup:
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)

    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        clean()
        raise UserError(f"无法建立演示数据库：{exc}") from None
    if done.returncode != 0:
        clean()
        lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise UserError(f"无法建立演示数据库：{lines[-1] if lines else done.returncode}")


# --- a kept demo -------------------------------------------------------------------------


def _companions(path: Path) -> list[Path]:
    """The files SQLite and the demo keep beside a database."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".hall.json")]


def _notices_home(path: Path) -> Path:
    """Where a kept demo's notices go: a folder beside it, named after it (never a folder
    shared with anything else, which `remove` might one day be asked to clear)."""
    return path.with_name(path.stem + "-demo")


def _reopen(options: DemoOptions) -> DemoDatabase | None:
    """The kept demo at `options.keep`, or None when there is nothing there yet; UserError for
    a path that holds anything but a demo database."""
    path = options.keep
    assert path is not None
    if not path.exists():
        if not path.parent.is_dir():
            raise UserError(f"--keep 的目录不存在：{path.parent}")
        return None
    if path.is_dir():
        raise UserError(f"--keep 需要一个数据库文件名，{path} 是一个目录")
    refuse_other_than_demo(path)  # a hall's database, or any other file, is left alone
    remembered = _remembered(path)
    day = options.today or remembered.day
    if options.seed is not None and remembered.seed not in (None, options.seed):
        raise UserError(
            f"{path} 是用种子 {remembered.seed} 建的演示大厅，不能改用种子 {options.seed}："
            "去掉 --seed 重新打开它，或换一个文件名新建"
        )
    if day is not None:
        set_demo_today(day)
    folder = _notices_home(path)
    return DemoDatabase(
        folder=folder,
        settings=demo_settings(path, folder / "notices"),
        options=replace(options, seed=remembered.seed, today=day, hall=remembered.hall),
        accounts=listed_accounts() if remembered.hall else (TRAINER,),
        reopened=True,
    )


@dataclass(frozen=True)
class Remembered:
    """What a kept demo was built with (its `.hall.json`); all unknown when the file is gone."""

    seed: int | None = None
    day: date | None = None
    hall: bool = True


def _remember(path: Path, seed: int, day: date, *, hall: bool) -> None:
    record = {"seed": seed, "date": day.isoformat(), "hall": hall}
    path.with_name(path.name + ".hall.json").write_text(json.dumps(record), encoding="utf-8")


def _remembered(path: Path) -> Remembered:
    try:
        loaded = json.loads(path.with_name(path.name + ".hall.json").read_text(encoding="utf-8"))
        seed, day, hall = loaded.get("seed"), loaded.get("date"), loaded.get("hall", True)
        return Remembered(
            seed=seed if isinstance(seed, int) else None,
            day=date.fromisoformat(day) if isinstance(day, str) else None,
            hall=bool(hall),
        )
    except (OSError, ValueError, AttributeError):
        return Remembered()


def demo_settings(path: Path, notices: Path) -> Settings:
    # Notices stay in the demo's own folder and go to no printer: nothing leaves the machine,
    # and nothing mixes with a real hall's saved notices.
    return Settings(
        db_url=f"sqlite:///{path}",
        window="1",
        demo=True,
        printing=PrintSettings(folder=notices),
    )


# --- the build child ------------------------------------------------------------------------


def build_demo_database(path: Path, *, today: date, seed: int | None) -> dict[str, float]:
    """Fill the database at `path` (the child's work; create_demo_database runs it): the node,
    the trainer, the calendar and the catalog (a copy of the installation's empty demo node,
    `_template`), then the living hall of `seed` (None: empty). Returns how long each part
    took, in seconds of the clock and of the CPU."""
    from counter_tui.actor import Actor
    from counter_tui.db import make_engine, write_session

    set_demo_today(today)
    started, cpu = time.perf_counter(), time.process_time()
    template = _template()
    if template is not None:
        shutil.copyfile(template, path)
    else:
        _build_node(path)
    figures = {"node_s": time.perf_counter() - started, "node_cpu_s": time.process_time() - cpu}
    if seed is not None:
        from counter_tui.accounts.service import find_user
        from counter_tui.demo.hall import build_hall

        begun, cpu = time.perf_counter(), time.process_time()
        engine = make_engine(f"sqlite:///{path}")
        with write_session(engine) as session:
            trainer = find_user(session, DEMO_USER, site=DEMO_SITE)
            assert trainer is not None
            actor = Actor(DEMO_USER, TRAINER.role, DEMO_SITE, user_id=trainer.id)
            build_hall(session, Actor.local_operator(DEMO_SITE), actor, seed=seed, today=today)
        engine.dispose()
        figures["hall_s"] = time.perf_counter() - begun
        figures["hall_cpu_s"] = time.process_time() - cpu
    return figures


def _build_node(path: Path) -> None:
    """An empty demo node at `path`: migrated, the demo site, the trainer, the calendar and the
    shipped catalog."""
    from counter_tui.accounts.service import create_user
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog
    from counter_tui.catalog.shipped import shipped_catalog
    from counter_tui.db import make_engine, write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded

    engine = make_engine(f"sqlite:///{path}", create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=DEMO_SITE, name=DEMO_SITE_NAME, demo=True)
        create_user(
            session,
            operator,
            username=DEMO_USER,
            display_name="演示讲师",
            role=TRAINER.role,
            password=DEMO_PASSWORD,
        )
        ensure_seeded(session, operator)
        catalog = shipped_catalog()
        if catalog is not None:
            import_catalog(session, operator, load_catalog(catalog))
    engine.dispose()


#: Where empty demo nodes are kept for the next demo, in the system's temporary folder: the
#: migrations and the catalog import (1.6 s of CPU, a third of the build) come out the same for
#: every demo of one installation, and a classroom builds twenty.
TEMPLATES = "counter-tui-demo-templates"


def _template() -> Path | None:
    """The installation's empty demo node, built on first use; None when the temporary folder
    cannot hold it (the demo then builds its node itself)."""
    folder = Path(tempfile.gettempdir()) / TEMPLATES
    kept = folder / f"{_template_key()}.db"
    if kept.is_file() and not kept.with_name(kept.name + "-wal").exists():
        return kept
    try:
        folder.mkdir(exist_ok=True)
        building = folder / f"{kept.stem}.{os.getpid()}.building"
        _build_node(building)
        for leftover in _companions(building)[:2]:  # WAL folded in when the engine closed
            if leftover.exists():
                raise OSError(f"{leftover} left behind")
        os.replace(building, kept)  # whole or not at all, whoever else builds one meanwhile
    except OSError:
        return None
    return kept


def _template_key() -> str:
    """What an empty demo node depends on: this package's version, its migrations, catalog and
    calendar files, the holiday package that seeds the calendar and how passwords are hashed;
    any change, a new one."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    import counter_tui
    from counter_tui.accounts.passwords import TEST_HASHING_VARIABLE

    root = Path(counter_tui.__file__).parent
    digest = hashlib.sha256(counter_tui.__version__.encode())
    # The test suite hashes the trainer's password cheaply: its nodes are not a demo's.
    digest.update(os.environ.get(TEST_HASHING_VARIABLE, "").encode())
    with suppress(PackageNotFoundError):
        digest.update(version("chinesecalendar").encode())
    for part in ("migrations", "data/catalog", "data/calendar"):
        for file in sorted((root / part).rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                stat = file.stat()
                name = file.relative_to(root).as_posix()
                digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m counter_tui.demo.setup")
    parser.add_argument("path", type=Path)
    parser.add_argument("--date", type=date.fromisoformat, required=True)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--empty", action="store_true")
    args = parser.parse_args(argv)
    seed = None if args.empty else (args.seed if args.seed is not None else 1)
    figures = build_demo_database(args.path, today=args.date, seed=seed)
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))


if __name__ == "__main__":
    main(sys.argv[1:])
