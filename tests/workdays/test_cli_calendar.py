"""`counter-tui calendar …` as a county admin runs it (both engines): show, import, due."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.workdays.facts import BREAKS_2026, MAKE_UP_2026
from tests.workdays.helpers import YEAR_2027, write


@pytest.fixture
def sqlite_node(init_file: Path) -> str:
    """A node made by the real `init` on SQLite only, for what does not depend on the engine
    (`init_url` is one on each engine)."""
    return f"sqlite:///{init_file}"


def test_due_prints_only_the_iso_date(cli: Cli, init_url: str) -> None:
    # Wed 30 Sep 2026 + 5: 国庆节 Oct 1–7 off; Oct 8, 9, Sat 10 (make-up), 12, 13.
    ran = cli("calendar", "due", "2026-09-30", "5", db=init_url)

    assert (ran.code, ran.out, ran.err) == (0, "2026-10-13\n", "")


def test_due_into_an_unpublished_year_warns_on_stderr(cli: Cli, init_url: str) -> None:
    # Mon 28 Dec 2026 + 5: Dec 29–31, then 2027 by the weekend rule less 元旦 (Fri Jan 1):
    # Mon Jan 4, Tue Jan 5.
    ran = cli("calendar", "due", "2026-12-28", "5", db=init_url)
    as_json = cli("calendar", "due", "2026-12-28", "5", "--json", db=init_url)

    assert (ran.code, ran.out) == (0, "2027-01-05\n")
    assert ran.error_line.startswith("暂定：2027 年的放假安排尚未正式公布")
    assert json.loads(as_json.out) == {
        "accepted_on": "2026-12-28",
        "days": 5,
        "due": "2027-01-05",
        "provisional": True,
        "unofficial_years": [2027],
    }


def test_due_through_an_unpublished_spring_festival_skips_it(cli: Cli, sqlite_node: str) -> None:
    # Tue 1 Dec 2026 + 60: 22 working days in December, 20 in January 2027 (元旦 off), then
    # Feb 1–4, 11–12, 15–19, 22–26 (除夕 5th, 8th–10th off as estimated), Mar 1, Mar 2. Without
    # the estimate the Spring Festival counted as working days: 2027-02-24.
    ran = cli("calendar", "due", "2026-12-01", "60", db=sqlite_node)

    assert (ran.code, ran.out) == (0, "2027-03-02\n")
    assert ran.error_line == (
        "暂定：2027 年的放假安排尚未正式公布，暂按双休日和法定节假日估算（不含调休）；"
        "公布后应重新计算"
    )


def test_show_lists_the_year_month_by_month(cli: Cli, init_url: str) -> None:
    text = cli("calendar", "show", "2026", db=init_url)
    as_json = cli("calendar", "show", "2026", "--json", db=init_url)

    assert text.code == 0, text.err
    lines = text.out.splitlines()
    assert lines[0] == "2026 年工作日历：正式安排"
    assert lines[1] == "来源：日历文件 data/calendar/2026.toml"
    assert "10月  10-01 至 10-07  国庆节放假 7 天" in lines
    assert "      10-10 周六      国庆节调休上班" in lines
    assert lines[-1] == "全年工作日 248 天（含调休上班 6 天）"
    shown = json.loads(as_json.out)
    assert (shown["status"], shown["origin"], shown["working_days"]) == ("official", "file", 248)
    assert {h["name"]: (h["from"], h["to"]) for h in shown["holidays"]} == {
        name: (first.isoformat(), last.isoformat()) for name, (first, last) in BREAKS_2026.items()
    }
    assert sorted(d for h in shown["holidays"] for d in h["workdays"]) == sorted(
        d.isoformat() for d in MAKE_UP_2026
    )


def test_importing_a_year_makes_its_due_dates_final(
    cli: Cli, init_url: str, tmp_path: Path
) -> None:
    folder = write(tmp_path / "cal", **{"2027.toml": YEAR_2027})

    imported = cli.as_admin("calendar", "import", folder, db=init_url)
    again = cli.as_admin("calendar", "import", folder / "2027.toml", db=init_url)
    due = cli("calendar", "due", "2026-12-28", "5", db=init_url)
    shown = cli("calendar", "show", "2027", db=init_url)

    assert imported.out == "已导入 2027 年日历（正式安排）：2 个假期，1 个调休上班日\n"
    assert again.out == "2027 年日历与正在使用的相同，未重复导入\n"
    # 元旦 2027 (Jan 1–3) now off: Dec 29, 30, 31, Jan 4, Jan 5.
    assert (due.out, due.err) == ("2027-01-05\n", "")
    assert "依据：测试用安排" in shown.out


def test_a_bad_file_is_reported_and_nothing_is_imported(
    cli: Cli, sqlite_node: str, tmp_path: Path
) -> None:
    bad = YEAR_2027.replace("workdays = [2027-02-20]", "workdays = [2027-02-19]")
    folder = write(
        tmp_path / "cal", **{"2027.toml": YEAR_2027.replace("2027", "2028"), "b.toml": bad}
    )

    ran = cli.as_admin("calendar", "import", folder, db=sqlite_node)
    shown = cli("calendar", "show", "2028", db=sqlite_node)

    line = bad.splitlines().index("workdays = [2027-02-19]") + 1
    assert ran.code == 1
    assert ran.err.splitlines() == [
        f"b.toml:{line}: workdays: 调休上班日 2027-02-19 是周五，不是周末"
        "（只有周六、周日才需要列为调休上班）",
        f"日历文件有 1 处问题，未导入：{folder}",
    ]
    assert shown.code == 2  # 2028 was valid, but nothing of the folder was imported


BAD_INPUT = [
    (["due", "2026-13-01", "5"], "错误：不是日期：2026-13-01（应为 YYYY-MM-DD，如 2026-09-30）"),
    (
        ["due", "2026-09-30", "-1"],
        "错误：工作日数应在 0–3650 之间（0 表示即办件当天办结），实际是 -1",
    ),
    (["due", "2026-09-30", "five"], "错误：工作日数应为整数：five"),
    (
        ["show", "2027"],
        "错误：2027 年没有日历数据：放假安排公布前按双休日和法定节假日估算（不含调休，暂定）；"
        "公布后用 counter-tui calendar import 文件 导入",
    ),
    (["show", "1999"], "错误：年份应在 2000–2099 之间，实际是 1999"),
]


def test_bad_input_is_one_chinese_line_and_exit_2(cli: Cli, sqlite_node: str) -> None:
    for argv, message in BAD_INPUT:
        ran = cli("calendar", *argv, db=sqlite_node)

        assert (ran.code, ran.out) == (2, ""), argv
        assert ran.error_line == message


def test_calendar_on_a_database_never_initialised_says_what_to_run(
    cli: Cli, tmp_path: Path
) -> None:
    ran = cli("calendar", "due", "2026-09-30", "5", db=tmp_path / "none.db")

    assert ran.code == 2
    assert "counter-tui init" in ran.error_line
