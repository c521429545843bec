"""A clerk's day in the real app, headless, for `counter-tui bench day` (counter_tui.bench.day).

Run as its own process (`python -m counter_tui.ui.clerkday`, the plan as JSON on stdin, the
figures as JSON on stdout), so that the memory it reports is the app's alone, as on a window's
PC: the database, the clerk and the tickets were made by the parent process. The clerk signs in,
then for every ticket: F3, n (call), s (start, which opens the intake); on the tickets with an
intake the item, ID number, name, phone, every material received, F8, Enter (the notices are
printed, as PDF); F3, f and the outcome. F4 and r (the worklist read again) after every
`refresh_every` intakes. The RSS is read from /proc after the sign-in and after every 10
intakes; nothing forces a garbage collection that a real app would not have.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.pilot import Pilot

    from counter_tui.ui.app import CounterApp

#: RSS is sampled after every this many intakes.
SAMPLE_EVERY = 10
SIZE = (80, 24)
NAMES = ("张三", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏")
#: ISO 7064 MOD 11-2 weights of the 17 digits of a 居民身份证 number.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class DayFailed(Exception):
    """A step of the day did not do what a clerk would see it do; the message says which."""


@dataclass(frozen=True)
class Plan:
    db_url: str
    notices: str
    window: str
    username: str
    password: str
    codes: list[str]
    intakes: int
    tickets: int
    refresh_every: int


def rss_mb() -> float | None:
    """This process's resident memory now (VmRSS), in MB; None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def id_number(n: int) -> str:
    """The n-th valid 居民身份证 number of the day (襄城区, born 1960–1999)."""
    body = f"420602{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n % 900:03d}"
    check = (12 - sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def with_intake(ticket: int, intakes: int, tickets: int) -> bool:
    """Spread the intakes evenly over the tickets (the others are questions, consultations)."""
    return ticket * intakes // tickets != (ticket + 1) * intakes // tickets


class Clerk:
    """Key presses at the window, each followed by what the clerk would wait for."""

    def __init__(self, app: CounterApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def settle(self) -> None:
        """Until no worker runs (an action's worker may start a reload): a bounded wait."""
        from textual.worker import WorkerCancelled

        for _ in range(20):
            # A cancelled worker is one a newer worker of its group took over (search as you
            # type, a reload): nothing to wait for.
            with contextlib.suppress(WorkerCancelled):
                await self.app.workers.wait_for_complete()
            await self.pilot.pause()
            if all(worker.is_finished for worker in self.app.workers):
                return

    async def sign_in(self, username: str, password: str) -> None:
        await self.app.desk_settled.wait()
        await self.keys(*username, "enter", *password, "enter")
        if self.app.signed_in is None:
            raise DayFailed(f"{username} 未能登录")

    async def call(self) -> None:
        """F3, n, s: the next ticket called and its service started, as the window shows."""
        await self.keys("f3")
        await self.until_held(lambda held: "当前没有叫号" in held, "F3 未显示空闲窗口")
        await self.keys("n")
        await self.until_held(lambda held: "已叫号" in held, "n 未叫到号")
        await self.keys("s")  # starts the service and goes to the intake (F2)
        await self.until(
            lambda: (
                self.app.current_mode == "intake"
                and self.app.holding.ticket is not None
                and self.app.holding.ticket.state == "serving"
            ),
            "s 未开始办理或未转到受理",
        )

    async def finish(self, outcome_digit: str) -> None:
        await self.keys("f3")
        await self.until_held(lambda held: "办理中" in held, "F3 未显示办理中的号")
        await self.keys("f")
        await self.keys(outcome_digit)
        await self.until_held(lambda held: "当前没有叫号" in held, "f 未办结")

    async def until(self, done: Callable[[], bool], failure: str) -> None:
        """Wait until `done()` (the app's own state), as until_held does for F3's line."""
        for _ in range(300):  # 30 s
            if done():
                return
            await asyncio.sleep(0.1)
            await self.settle()
        raise DayFailed(f"{failure}：{self._status()}")

    async def until_held(self, done: Callable[[str], bool], failure: str) -> None:
        """Wait until the F3 screen's line of the window's ticket says what `done` expects:
        the screen loads it in a worker, and a key pressed on an older picture is refused."""
        from textual.widgets import Static

        for _ in range(300):  # 30 s
            held = self.app.screen.query("#queue-held")
            if held and done(str(held.only_one(Static).render())):
                return
            await asyncio.sleep(0.1)
            await self.settle()
        raise DayFailed(f"{failure}：{self._status()}")

    async def intake(self, code: str, number: str, name: str, phone: str) -> None:
        from counter_tui.ui.screens.notice import NoticePreview

        await self.keys(*code, "enter")  # `s` has opened the intake (F2)
        await self.keys(*number)  # a complete valid number moves on by itself
        await self.keys(*name, "enter")
        await self.keys(*phone)  # so does a mobile number
        await self.keys("enter", "a", "f8")  # no address; every material received; accept
        if not isinstance(self.app.screen, NoticePreview):
            raise DayFailed(f"{code} 未能受理：{self._status()}")
        await self.keys("enter")  # print
        for _ in range(600):  # the PDF is made in a child process: up to a minute
            if not isinstance(self.app.screen, NoticePreview):
                return
            if self.app.screen.query_one("#notice-keys").has_class("error"):
                raise DayFailed(f"{code} 的通知书未能打印：{self._status()}")
            await asyncio.sleep(0.1)
            await self.settle()
        raise DayFailed(f"{code} 的通知书一分钟未打印完")

    async def refresh_worklist(self) -> None:
        await self.keys("f4", "r")

    def _status(self) -> str:
        from textual.widgets import Static

        texts = [str(w.render()) for w in self.app.screen.query(Static) if w.id]
        return " / ".join(t for t in texts if t.strip())[-300:]


async def run_day(plan: Plan) -> dict[str, Any]:
    from counter_tui.settings import PrintSettings, Settings
    from counter_tui.ui.app import make_app

    printing = PrintSettings(folder=Path(plan.notices), format="pdf")
    app = make_app(Settings(db_url=plan.db_url, window=plan.window, printing=printing))
    started = time.perf_counter()
    samples: list[dict[str, Any]] = []
    intake_s: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        clerk = Clerk(app, pilot)
        await clerk.sign_in(plan.username, plan.password)
        signed_in = rss_mb()
        done = 0
        for ticket in range(plan.tickets):
            await clerk.call()
            served = with_intake(ticket, plan.intakes, plan.tickets)
            if served:
                began = time.perf_counter()
                await clerk.intake(
                    plan.codes[done % len(plan.codes)],
                    id_number(done),
                    NAMES[done % len(NAMES)],
                    f"1381234{done % 10_000:04d}",
                )
                intake_s.append(time.perf_counter() - began)
                done += 1
                if done % SAMPLE_EVERY == 0:
                    samples.append({"intakes": done, "rss_mb": rss_mb()})
                if done % plan.refresh_every == 0:
                    await clerk.refresh_worklist()
            await clerk.finish("1" if served else "3")  # 已受理 / 咨询解答
        await clerk.refresh_worklist()
        end = rss_mb()
    return {
        "rss_signed_in_mb": signed_in,
        "rss_by_intakes": samples,
        "rss_end_mb": end,
        "intakes": done,
        "intake_ms": [round(s * 1000, 1) for s in intake_s],
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    plan = Plan(**json.loads(sys.stdin.read()))
    try:
        figures = asyncio.run(run_day(plan))
    except DayFailed as exc:
        json.dump({"error": str(exc)}, sys.stdout, ensure_ascii=False)
        return
    json.dump(figures, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
