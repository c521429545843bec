"""A hall's queue set-up: its ticket categories, which windows serve which, the target wait, the
calling policy and the appointment slots. Pure: no I/O.

One set-up per hall (site), shared by every window process and the hall display, so it lives in
the database (the `queue.hall_configured` event), not in a window's config file. Until an
administrator loads one (`counter-tui queue setup FILE`), the hall runs on DEFAULT: the five
usual categories, every window serving all of them.

The file is TOML, so that a hall can keep it next to its config:

    target_wait_minutes = 20
    max_streak = 3
    late_grace_minutes = 15
    early_check_in_minutes = 30

    [categories.A]
    name = "综合受理"
    slots = ["09:00-09:30", "09:30-10:00"]   # appointment slots on working days
    capacity = 4                              # appointments per slot

    [windows.3]
    categories = ["A", "B"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time, timedelta
from itertools import pairwise
from typing import Any

from counter_tui.queue.rules import CallPolicy

#: A category's prefix: one capital letter (printed on the slip, spoken by the voice call).
PREFIX = re.compile(r"^[A-Z]$")
WINDOW = re.compile(r"^[0-9A-Za-z]{1,8}$")
SLOT = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
TOP_KEYS = {
    "target_wait_minutes": "等候目标（分钟），超过即计入超时占比，默认 20",
    "max_streak": "连续叫预约号、绿色通道号几次后先叫一个普通号，默认 3",
    "late_grace_minutes": "预约时段结束后仍优先叫号的分钟数，默认 15",
    "early_check_in_minutes": "预约时段开始前可提前签到的分钟数，默认 30",
    "categories": '取号类别，如 [categories.A] name = "综合受理"',
    "windows": '窗口服务的类别，如 [windows.3] categories = ["A", "B"]',
}


class ConfigProblem(ValueError):
    """A set-up that cannot be used; the message says where and why, in Chinese."""


@dataclass(frozen=True)
class Slot:
    """An appointment slot of a working day, local time."""

    start: time
    end: time

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


@dataclass(frozen=True)
class Category:
    prefix: str
    name: str
    slots: tuple[Slot, ...] = ()
    #: Appointments per slot.
    capacity: int = 0


@dataclass(frozen=True)
class HallConfig:
    categories: tuple[Category, ...]
    #: window → the prefixes it serves; a window not listed serves every category.
    windows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    target_wait: timedelta = timedelta(minutes=20)
    policy: CallPolicy = field(default_factory=CallPolicy)
    early_check_in: timedelta = timedelta(minutes=30)

    def category(self, prefix: str) -> Category | None:
        return next((c for c in self.categories if c.prefix == prefix), None)

    def served_by(self, window: str) -> tuple[str, ...]:
        return self.windows.get(window) or tuple(c.prefix for c in self.categories)

    def name_of(self, prefix: str) -> str:
        category = self.category(prefix)
        return category.name if category else prefix


DEFAULT = HallConfig(
    categories=(
        Category("A", "综合受理"),
        Category("B", "不动产登记"),
        Category("C", "社保医保"),
        Category("D", "企业开办"),
        Category("V", "办不成事·帮代办"),
    )
)


def _minutes(data: dict[str, Any], key: str, default: timedelta, top: int) -> timedelta:
    if key not in data:
        return default
    value = data[key]
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
        raise ConfigProblem(f"{key} 应为 0–{top} 的整数（分钟）：{value!r}")
    return timedelta(minutes=value)


def _slot(prefix: str, text: object) -> Slot:
    match = SLOT.match(text) if isinstance(text, str) else None
    if not match:
        raise ConfigProblem(f'类别 {prefix} 的预约时段应写成 "09:00-09:30"：{text!r}')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        slot = Slot(time(h1, m1), time(h2, m2))
    except ValueError:
        raise ConfigProblem(f"类别 {prefix} 的预约时段时间不对：{text}") from None
    if slot.end <= slot.start:
        raise ConfigProblem(f"类别 {prefix} 的预约时段结束应晚于开始：{text}")
    return slot


def _category(prefix: str, data: object) -> Category:
    if not PREFIX.match(prefix):
        raise ConfigProblem(f"类别代码应为一个大写字母（印在号票上，如 A）：{prefix!r}")
    if not isinstance(data, dict):
        raise ConfigProblem(f"类别 {prefix} 应为一张表：[categories.{prefix}]")
    unknown = sorted(set(data) - {"name", "slots", "capacity"})
    if unknown:
        raise ConfigProblem(f"类别 {prefix} 中有未知的设置项：{'、'.join(unknown)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 20:
        raise ConfigProblem(f"类别 {prefix} 需要 1–20 字的名称（name）")
    raw_slots = data.get("slots", [])
    if not isinstance(raw_slots, list):
        raise ConfigProblem(f"类别 {prefix} 的 slots 应为时段列表")
    slots = tuple(sorted((_slot(prefix, s) for s in raw_slots), key=lambda s: s.start))
    for before, after in pairwise(slots):
        if after.start < before.end:
            raise ConfigProblem(f"类别 {prefix} 的预约时段重叠：{before.label} 与 {after.label}")
    capacity = data.get("capacity", 0)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity <= 999:
        raise ConfigProblem(f"类别 {prefix} 的 capacity 应为 0–999 的整数：{capacity!r}")
    if slots and capacity == 0:
        raise ConfigProblem(f"类别 {prefix} 设了预约时段，还需写每个时段可约人数（capacity）")
    return Category(prefix, name.strip(), slots, capacity)


def from_dict(data: dict[str, Any]) -> HallConfig:
    """The set-up a file (or an event) holds; ConfigProblem names the first thing wrong."""
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise ConfigProblem(
            f"未知的设置项：{'、'.join(unknown)}（可用的有：{'、'.join(TOP_KEYS)}）"
        )
    raw = data.get("categories")
    if not isinstance(raw, dict) or not raw:
        raise ConfigProblem('至少要有一个取号类别：[categories.A] name = "综合受理"')
    categories = tuple(_category(prefix, value) for prefix, value in sorted(raw.items()))
    prefixes = {c.prefix for c in categories}
    windows: dict[str, tuple[str, ...]] = {}
    raw_windows = data.get("windows", {})
    if not isinstance(raw_windows, dict):
        raise ConfigProblem('windows 应为表：[windows.3] categories = ["A"]')
    for window, value in raw_windows.items():
        if not WINDOW.match(window):
            raise ConfigProblem(f"窗口号应为 1–8 位字母或数字：{window!r}")
        served = value.get("categories") if isinstance(value, dict) else None
        if not isinstance(served, list) or not served:
            raise ConfigProblem(f'窗口 {window} 需要 categories = ["A", …]')
        missing = [p for p in served if p not in prefixes]
        if missing:
            raise ConfigProblem(f"窗口 {window} 服务的类别不存在：{'、'.join(map(str, missing))}")
        windows[window] = tuple(dict.fromkeys(served))
    streak = data.get("max_streak", 3)
    if not isinstance(streak, int) or isinstance(streak, bool) or not 1 <= streak <= 20:
        raise ConfigProblem(f"max_streak 应为 1–20 的整数：{streak!r}")
    policy = CallPolicy(
        max_streak=streak,
        late_grace=_minutes(data, "late_grace_minutes", timedelta(minutes=15), 240),
    )
    return HallConfig(
        categories=categories,
        windows=windows,
        target_wait=_minutes(data, "target_wait_minutes", timedelta(minutes=20), 480),
        policy=policy,
        early_check_in=_minutes(data, "early_check_in_minutes", timedelta(minutes=30), 240),
    )


def to_dict(config: HallConfig) -> dict[str, Any]:
    """The event payload (and `queue setup --show`): from_dict(to_dict(c)) == c."""
    categories: dict[str, Any] = {}
    for c in config.categories:
        entry: dict[str, Any] = {"name": c.name}
        if c.slots:
            entry["slots"] = [s.label for s in c.slots]
            entry["capacity"] = c.capacity
        categories[c.prefix] = entry
    return {
        "target_wait_minutes": int(config.target_wait.total_seconds() // 60),
        "max_streak": config.policy.max_streak,
        "late_grace_minutes": int(config.policy.late_grace.total_seconds() // 60),
        "early_check_in_minutes": int(config.early_check_in.total_seconds() // 60),
        "categories": categories,
        "windows": {w: {"categories": list(p)} for w, p in sorted(config.windows.items())},
    }
