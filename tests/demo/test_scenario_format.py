"""The scenario file format: a trainer's mistake is said with its file and line; the shipped
files and a trainer's own are found by name or path."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_tui.demo.scenario import ScenarioError
from counter_tui.demo.scenario_files import find_scenario, listed_scenarios, parse_scenario
from counter_tui.demo.training import ScenarioRun
from counter_tui.errors import UserError

HEADER = "name: mine\ntitle: 我的练习\nsummary: 一句话\n"
TASK = "task: 受理\ndo: 受理一个办件。\n"


def error_of(text: str, source: str = "mine.scenario") -> ScenarioError:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, source=source)
    return raised.value


def test_a_good_file_reads_into_tasks_with_checks_hints_and_mistakes() -> None:
    scenario = parse_scenario(
        HEADER
        + "account: trainer\nhint_cost: 3\n"
        + "given: case item=X state=handed_off as=c\n"
        + TASK
        + "do: 第二行说明。\ncheck: claimed case=c\nhint: 先认领\nhint: 再看\n"
        + "mistake: denied case=c => 不应直接不予许可\n",
        source="mine.scenario",
    )
    assert (scenario.name, scenario.account, scenario.hint_cost, scenario.mistake_cost) == (
        "mine",
        "trainer",
        3,
        10,
    )
    (task,) = scenario.tasks
    assert task.instruction == "受理一个办件。\n第二行说明。"
    assert [c.kind for c in task.checks] == ["claimed"]
    assert task.hints == ("先认领", "再看")
    assert [m.message for m in task.mistakes] == ["不应直接不予许可"]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (HEADER + TASK + "check accepted\n", 6, "关键字: 内容"),
        (HEADER + TASK + 'check: accepted item="unclosed\n', 6, "引号没有配对"),
        (HEADER + TASK + "check: approve case=c\n", 6, "未知的检查 approve"),
        (HEADER + TASK + "check: accepted colour=red\n", 6, "没有参数 colour"),
        (HEADER + TASK + "check: called priority=maybe\n", 6, "priority= 应为 yes 或 no"),
        (HEADER + TASK + "check: claimed case=later\n", 6, "前面没有用 as=later 命名过"),
        (HEADER + TASK + "check: event case.nothing\n", 6, "未知的事件类型 case.nothing"),
        (HEADER + TASK + "check: event case.claimed colour=red\n", 6, "没有字段 colour"),
        (HEADER + "given: weather sunny=yes\n" + TASK + "check: claimed\n", 4, "未知的准备"),
        (HEADER + "given: case item=X state=lost\n" + TASK + "check: claimed\n", 4, "state=lost"),
        (HEADER + "given: rating level=1 case=c\n" + TASK + "check: claimed\n", 4, "前面没有"),
        (HEADER + TASK + "mistake: notified\n", 6, "=>"),
        (HEADER + TASK + "check: claimed\nfrobnicate: x\n", 7, "未知的关键字 frobnicate"),
        (HEADER + TASK + "check: claimed\nname: again\n", 7, "开头的说明"),
        (HEADER + "task: 空\ndo: x\n", 4, "没有 check:"),
        (HEADER.replace("name: mine", "name: Mine Two") + TASK + "check: claimed\n", 1, "name:"),
        (HEADER + "account: mayor\n" + TASK + "check: claimed\n", 4, "未知的角色 mayor"),
        (HEADER + TASK + "check: claimed as=c\ncheck: claimed as=c\n", 7, "已经用过"),
    ],
)
def test_a_problem_names_the_file_and_line_and_what_is_wrong(
    text: str, line: int, words: str
) -> None:
    error = error_of(text)
    assert (error.source, error.line) == ("mine.scenario", line)
    assert words in error.problem
    assert str(error).startswith(f"文件 mine.scenario 第 {line} 行：")


def test_a_file_without_its_header_says_what_is_missing() -> None:
    error = error_of(TASK + "check: claimed\n")
    assert "缺少 name:" in error.problem


def test_every_shipped_scenario_reads_and_names_a_role_and_real_tasks() -> None:
    listed = listed_scenarios(extra=Path("/nonexistent"))
    assert len(listed) >= 8 and all(entry.shipped for entry in listed)
    for entry in listed:
        scenario = entry.scenario
        assert entry.path.name.endswith(f"{scenario.name}.scenario")
        assert scenario.tasks and all(task.checks and task.hints for task in scenario.tasks)


def test_a_trainers_own_folder_adds_scenarios_and_may_replace_a_shipped_one(
    tmp_path: Path,
) -> None:
    (tmp_path / "mine.scenario").write_text(HEADER + TASK + "check: claimed\n", encoding="utf-8")
    own = HEADER.replace("mine", "routine-intake") + TASK + "check: claimed\n"
    (tmp_path / "routine.scenario").write_text(own, encoding="utf-8")
    listed = {entry.scenario.name: entry for entry in listed_scenarios(extra=tmp_path)}
    assert not listed["mine"].shipped
    assert listed["routine-intake"].scenario.title == "我的练习"
    assert find_scenario("mine", extra=tmp_path).title == "我的练习"


def test_a_scenario_file_is_played_by_its_path_and_a_missing_one_is_said(tmp_path: Path) -> None:
    path = tmp_path / "mine.scenario"
    path.write_text(HEADER + TASK + "check: claimed\n", encoding="utf-8")
    assert find_scenario(str(path)).name == "mine"
    with pytest.raises(UserError, match="找不到场景文件"):
        find_scenario(str(tmp_path / "gone.scenario"))


def test_a_broken_file_in_the_trainers_folder_is_said_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "broken.scenario").write_text(HEADER + TASK + "check: nope\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"broken\.scenario 第 6 行"):
        find_scenario("routine-intake", extra=tmp_path)


def test_a_scenario_not_started_observes_nothing() -> None:
    scenario = parse_scenario(HEADER + TASK + "check: claimed\n", source="mine.scenario")
    run = ScenarioRun(scenario, engine=None)  # type: ignore[arg-type]
    assert run.observe() == [] and not run.started and run.elapsed_seconds == 0


def test_the_shipped_scenario_files_are_package_data_so_a_wheel_carries_them() -> None:
    import tomllib
    from fnmatch import fnmatch

    from counter_tui.demo.scenario_files import shipped_folder

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["counter_tui"]
    package = shipped_folder().parents[1]
    files = [p.relative_to(package).as_posix() for p in shipped_folder().glob("*.scenario")]
    assert files
    assert all(any(fnmatch(name, pattern) for pattern in patterns) for name in files)


def test_the_documented_example_is_a_scenario_the_parser_reads() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scenarios.md").read_text("utf-8")
    example = doc.split("```\n# The header.", 1)[1].split("```", 1)[0]
    scenario = parse_scenario("# The header." + example, source="docs/scenarios.md")
    assert [task.title for task in scenario.tasks] == ["补正"]
    assert [m.message for m in scenario.mistakes] == ["不应不予受理。"]
