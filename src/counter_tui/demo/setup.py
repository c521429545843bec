"""A throwaway demo database with a trainer account, for `counter-tui demo` and the Quick start.

The demo data and guided scenarios come with the demo issue; until then the demo is the app on a
fresh database with the shipped catalog, marked as demo so that it can never sync.

The database is built in a child process (`python -m counter_tui.demo.setup FOLDER`), so that
the demo app is as light as a real node's: built inside the app's process, the catalog import
(pypinyin, the loader, Alembic's migrations) left the demo at 174 MB after sign-in against a
real node's 84 MB, memory freed but kept by the allocator (issue 12, measured).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError
from counter_tui.settings import PrintSettings, Settings

#: Seconds the build may take on a slow PC (about 5 s on the development machine).
BUILD_TIMEOUT = 300

DEMO_SITE = "000000-DEMO"
DEMO_SITE_NAME = "演示站点（培训用）"
DEMO_USER = "demo"
DEMO_PASSWORD = "demo1234"


@dataclass(frozen=True)
class DemoDatabase:
    folder: Path
    settings: Settings
    #: What the demo was asked for (seed, date, scenario).
    options: DemoOptions = field(default_factory=DemoOptions)

    @property
    def kept(self) -> bool:
        """Whether the database stays after the demo ends (`--keep`)."""
        return self.options.keep is not None

    @property
    def path(self) -> Path:
        return self.folder / "demo.db"

    @property
    def login_hint(self) -> tuple[str, str]:
        return DEMO_USER, DEMO_PASSWORD

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def create_demo_database(
    options: DemoOptions | None = None, *, parent: Path | None = None
) -> DemoDatabase:
    """A new demo database in a new folder under `parent` (the system's temporary folder)."""
    options = options or DemoOptions()
    folder = Path(tempfile.mkdtemp(prefix="counter-tui-demo-", dir=parent))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "counter_tui.demo.setup", str(folder)],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UserError(f"无法建立演示数据库：{exc}") from None
    if done.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        lines = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise UserError(f"无法建立演示数据库：{lines[-1] if lines else done.returncode}")
    return DemoDatabase(folder=folder, settings=demo_settings(folder), options=options)


def demo_settings(folder: Path) -> Settings:
    # Notices stay in the demo's own folder and go to no printer: nothing leaves the machine,
    # and nothing mixes with a real hall's saved notices.
    return Settings(
        db_url=f"sqlite:///{folder / 'demo.db'}",
        window="1",
        demo=True,
        printing=PrintSettings(folder=folder / "notices"),
    )


def build_demo_database(folder: Path) -> None:
    """Fill `folder/demo.db`: the child's work (create_demo_database runs it)."""
    from counter_tui.accounts.service import create_user
    from counter_tui.catalog.loader import load_catalog
    from counter_tui.catalog.service import import_catalog
    from counter_tui.catalog.shipped import shipped_catalog
    from counter_tui.db import make_engine, write_session
    from counter_tui.schema import upgrade
    from counter_tui.site.service import initialise_node
    from counter_tui.workdays.service import ensure_seeded

    settings = demo_settings(folder)
    engine = make_engine(settings.db_url, create=True)
    upgrade(engine)
    with write_session(engine) as session:
        operator = initialise_node(session, site=DEMO_SITE, name=DEMO_SITE_NAME, demo=True)
        create_user(
            session,
            operator,
            username=DEMO_USER,
            display_name="演示讲师",
            role="trainer",
            password=DEMO_PASSWORD,
        )
        ensure_seeded(session, operator)
        catalog = shipped_catalog()
        if catalog is not None:
            import_catalog(session, operator, load_catalog(catalog))
    engine.dispose()


if __name__ == "__main__":
    build_demo_database(Path(sys.argv[1]))
