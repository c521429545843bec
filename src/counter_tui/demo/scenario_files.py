"""Where scenarios come from: the ones shipped in the package (data/scenarios/*.scenario), a
trainer's own in the config folder's `scenarios/`, or a file named by its path.

A trainer's scenario with the same name as a shipped one replaces it (a trainer adapts the
shipped example to the county's items); `--scenario ./mine.scenario` plays a file at once,
without installing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter_tui.demo import checks, givens
from counter_tui.demo.scenario import Scenario, ScenarioError, Vocabulary, parse
from counter_tui.errors import UserError

SUFFIX = ".scenario"


def vocabulary() -> Vocabulary:
    """The givens and checks a scenario file may use (demo.givens, demo.checks)."""
    return Vocabulary(given=givens.problem, check=checks.problem)


def parse_scenario(text: str, *, source: str) -> Scenario:
    """Parse a scenario's text; ScenarioError naming `source` and the line of a problem."""
    return parse(text, source=source, vocabulary=vocabulary())


def load_scenario(path: Path) -> Scenario:
    """The scenario in `path`; ScenarioError naming the file and line of the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(str(path), 1, "文件不是 UTF-8 编码的文本") from None
    except OSError as exc:
        raise UserError(f"无法读取场景文件 {path}：{exc.strerror or exc}") from None
    return parse_scenario(text, source=str(path))


@dataclass(frozen=True)
class Listed:
    """A scenario in the picker's list: read and checked, with where it came from."""

    scenario: Scenario
    path: Path
    shipped: bool


def shipped_folder() -> Path:
    """The scenarios shipped inside the package (package data, like the catalog)."""
    return Path(__file__).resolve().parents[1] / "data" / "scenarios"


def trainer_folder() -> Path:
    """A trainer's own scenarios: `scenarios/` next to the config file (config.toml)."""
    from counter_tui.settings import default_config_path

    return default_config_path().parent / "scenarios"


def _files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob(f"*{SUFFIX}") if p.is_file())
    except OSError:
        return []


def shipped_scenarios(*, extra: Path | None = None) -> list[Scenario]:
    """Every scenario on offer, in file-name order: the shipped ones, then the trainer's own
    (`extra` instead of the config folder: tests). A broken file raises its ScenarioError:
    a trainer's mistake is said, not hidden in a shorter list."""
    return [listed.scenario for listed in listed_scenarios(extra=extra)]


def listed_scenarios(*, extra: Path | None = None) -> list[Listed]:
    found: dict[str, Listed] = {}
    for folder, shipped in ((shipped_folder(), True), (extra or trainer_folder(), False)):
        for path in _files(folder):
            scenario = load_scenario(path)
            found[scenario.name] = Listed(scenario, path, shipped)
    return list(found.values())


def find_scenario(name: str, *, extra: Path | None = None) -> Scenario:
    """The scenario called `name`, or in the file `name` (a path ending in .scenario). An
    unknown name is a UserError listing the available ones with their titles."""
    wanted = name.strip()
    if wanted.endswith(SUFFIX) or "/" in wanted or "\\" in wanted:
        path = Path(wanted).expanduser()
        if not path.is_file():
            raise UserError(f"找不到场景文件 {path}")
        return load_scenario(path)
    available = listed_scenarios(extra=extra)
    for listed in available:
        if listed.scenario.name == wanted:
            return listed.scenario
    names = "；".join(f"{ls.scenario.name}（{ls.scenario.title}）" for ls in available)
    raise UserError(f"没有名为 {wanted} 的练习场景。可用的场景：{names or '无'}")
