"""Where the shipped catalog is: package data, so that a wheel carries it as a clone does."""

from pathlib import Path


def shipped_catalog() -> Path | None:
    """The catalog shipped inside the package (counter_tui/data/catalog); None only if an
    install was stripped of its data, when the admin imports the county's catalog with
    `counter-tui catalog import PATH`."""
    path = Path(__file__).resolve().parents[1] / "data" / "catalog"
    return path if (path / "catalog.toml").exists() else None


#: What intake, F5 and the catalog commands say on a node that has no catalog yet.
NO_CATALOG = (
    "本机还没有事项目录：请管理员运行 counter-tui catalog import --shipped"
    "（随程序附带的目录）或 counter-tui catalog import 目录文件夹"
)
