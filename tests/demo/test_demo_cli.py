"""`counter-tui demo` refuses what it cannot do before it builds a hall: a trainer who mistyped a
scenario or wrote a broken one is told at once, not after a sign-in."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def test_an_unknown_scenario_lists_the_available_ones_and_builds_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    ran = Cli(env={**cli.env, "TMPDIR": str(temporary)}, cwd=cli.cwd)(
        "demo", "--scenario", "no-such-thing"
    )
    assert ran.code != 0
    assert "没有名为 no-such-thing 的练习场景" in ran.err
    assert "routine-intake（常规受理" in ran.err and "busy-queue" in ran.err
    assert not list(temporary.iterdir())  # no demo folder was made


def test_a_broken_scenario_file_names_its_file_and_line(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "mine.scenario"
    broken.write_text("name: mine\ntitle: 我的场景\nno colon here\n", encoding="utf-8")
    ran = cli("demo", "--scenario", broken)
    assert ran.code != 0
    assert f"文件 {broken} 第 3 行" in ran.err


def test_a_bad_date_or_a_lone_trainer_flag_is_said_in_chinese(cli: Cli) -> None:
    assert "--date 需要形如 2026-12-07 的日期" in cli("demo", "--date", "12/07").err
    assert "--trainer 只能与 --serve 一起用" in cli("demo", "--trainer").err
