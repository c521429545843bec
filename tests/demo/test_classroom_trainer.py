"""The trainer's view of a class (ui/classroom.py), on seat files written here: what it lists,
that it follows the files as trainees work, that it says when the server stopped, and that
ending the class takes two presses."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter_tui.demo.classroom import Classroom
from counter_tui.ui.classroom import TrainerApp

GONE_PID = 4_194_999
URLS = ["http://192.168.1.20:8000/", "http://127.0.0.1:8000/"]
NOW = datetime(2026, 12, 7, 9, 20, 30, tzinfo=timezone(timedelta(hours=8)))


def write_seat(folder: Path, seat: str, trainee: str, **fields: object) -> None:
    data: dict[str, object] = {
        "seat": f"seat-{seat}",
        "trainee": trainee,
        "pid": os.getpid(),
        "joined_at": f"2026-12-07T09:0{seat}:00+08:00",
        "updated_at": "2026-12-07T09:20:00+08:00",
        "scenario": None,
        "title": "",
        "done": 0,
        "tasks": 0,
        "score": None,
        "mistakes": 0,
        "hints": 0,
        "elapsed_seconds": 0,
        "finished": False,
        "history": [],
        "database": f"/tmp/class/halls/{seat}/demo.db",
    }
    data.update(fields)
    temp = folder / f".seat-{seat}.tmp"
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temp.replace(folder / f"seat-{seat}.json")


def a_class(folder: Path) -> None:
    """Four trainees: one at work, one done, one who left, one just connected."""
    write_seat(
        folder, "1", "张三", scenario="routine-intake", title="常规受理",
        done=2, tasks=4, mistakes=1, hints=1, elapsed_seconds=312,
    )  # fmt: skip
    write_seat(
        folder, "2", "李[b]四[/b]", scenario="one-time-notice", title="一次性告知与补正",
        done=5, tasks=5, score=88, mistakes=2, elapsed_seconds=3725, finished=True,
        history=[{"scenario": "routine-intake", "score": 95},
                 {"scenario": "one-time-notice", "score": 88}],
    )  # fmt: skip
    write_seat(
        folder, "3", "学员3", scenario="mail-delivery", title="邮寄送达",
        done=1, tasks=3, elapsed_seconds=95, pid=GONE_PID,
    )  # fmt: skip
    write_seat(folder, "4", "学员4")


def trainer_app(
    folder: Path, alive: list[bool] | None = None, *, urls: list[str] = URLS, note: str = ""
) -> TrainerApp:
    state = alive if alive is not None else [True]
    classroom = Classroom(folder=folder, urls=urls, server_alive=lambda: state[0], reach_note=note)
    # Tests read again by hand; the clock stands 30 s after the seats last wrote.
    return TrainerApp(classroom, poll_every=3600, clock=lambda: NOW)


async def read_again(pilot: Pilot[object]) -> None:
    app = pilot.app
    assert isinstance(app, TrainerApp)
    await app.workers.wait_for_complete()
    app.read_class()
    await app.workers.wait_for_complete()
    await pilot.pause()


def rows(app: TrainerApp) -> list[list[str]]:
    table = app.query_one("#seats", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(app: TrainerApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_the_trainer_sees_each_trainee_and_follows_their_work(tmp_path: Path) -> None:
    a_class(tmp_path)
    app = trainer_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await read_again(pilot)
        assert rows(app) == [
            ["张三", "常规受理", "2/4", "—", "1", "1", "5:42", "练习中"],  # 30 s since its step
            ["李[b]四[/b]", "一次性告知与补正", "5/5", "88", "2", "0", "1:02:05", "已完成"],
            ["学员3", "邮寄送达", "1/3", "—", "0", "0", "1:35", "已离开"],
            ["学员4", "—", "—", "—", "0", "0", "0:00", "自由练习"],
        ]
        assert "学员 4 人 · 在线 3 人 · 已完成练习 2 个" in shown(app, "#summary")
        assert URLS[0] in shown(app, "#address")

        # 张三 passes a task with a hint; a fifth trainee connects.
        write_seat(
            tmp_path, "1", "张三", scenario="routine-intake", title="常规受理",
            done=3, tasks=4, mistakes=1, hints=2, elapsed_seconds=340,
        )  # fmt: skip
        write_seat(tmp_path, "5", "学员5")
        await read_again(pilot)
        assert rows(app)[0][2] == "3/4" and rows(app)[0][5] == "2"
        assert rows(app)[0][6] == "6:10"  # 340 s at its step, 30 s since
        assert [row[0] for row in rows(app)][-1] == "学员5"


async def test_a_stopped_server_is_said(tmp_path: Path) -> None:
    alive = [True]
    app = trainer_app(
        tmp_path, alive, urls=["http://127.0.0.1:8000/"], note="只有本机能连接：请用 --host 0.0.0.0"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await read_again(pilot)
        assert "还没有学员连接" in shown(app, "#summary")
        assert "只有本机能连接" in shown(app, "#address")
        assert shown(app, "#status") == ""
        alive[0] = False
        await read_again(pilot)
        assert "课堂服务已停止" in shown(app, "#status")


async def test_ending_the_class_asks_once_more(tmp_path: Path) -> None:
    a_class(tmp_path)
    app = trainer_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await read_again(pilot)
        await pilot.press("ctrl+q")
        assert "再按 Ctrl+Q 结束课堂" in shown(app, "#status")
        await pilot.press("escape")  # not yet: the class goes on
        assert shown(app, "#status") == ""
        await pilot.press("ctrl+q", "ctrl+q")
        await pilot.pause()
        assert app._exit  # the CLI then stops the server and removes the class folder


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_trainer_view_snapshot(
    snap_compare: Callable[..., bool], tmp_path: Path, size: tuple[int, int]
) -> None:
    """On top 培训/演示 and the address to give the room (the LAN one; 127.0.0.1 under it);
    the summary 学员 4 人 · 在线 3 人 · 已完成练习 2 个; the table: 张三 at 2/4 练习中 for 5:42
    (30 s since their last step), 李[b]四[/b] shown literally with 88 and 1:02:05 已完成,
    学员3 已离开, 学员4 自由练习; the footer with ^q 结束课堂."""
    a_class(tmp_path)

    async def ready(pilot: Pilot[object]) -> None:
        await read_again(pilot)

    assert snap_compare(trainer_app(tmp_path), terminal_size=size, run_before=ready)
