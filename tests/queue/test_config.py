"""The hall's queue set-up: what a file may say, and the message when it says it wrong."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter_tui.queue import config
from counter_tui.queue.config import ConfigProblem

FULL = {
    "target_wait_minutes": 25,
    "max_streak": 2,
    "late_grace_minutes": 10,
    "early_check_in_minutes": 20,
    "categories": {
        "A": {"name": "综合受理", "slots": ["09:30-10:00", "09:00-09:30"], "capacity": 3},
        "V": {"name": "办不成事"},
    },
    "windows": {"1": {"categories": ["A", "V"]}, "9": {"categories": ["V"]}},
}


def test_a_full_set_up_reads_back_to_what_it_wrote() -> None:
    hall = config.from_dict(FULL)
    assert hall.target_wait == timedelta(minutes=25) and hall.policy.max_streak == 2
    a = hall.category("A")
    assert a is not None and [s.label for s in a.slots] == ["09:00-09:30", "09:30-10:00"]
    assert hall.served_by("9") == ("V",) and hall.served_by("5") == ("A", "V")
    assert config.from_dict(config.to_dict(hall)) == hall
    assert config.from_dict(config.to_dict(config.DEFAULT)) == config.DEFAULT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"categories": {}}, "至少要有一个取号类别"),
        ({"categories": {"AB": {"name": "x"}}}, "类别代码应为一个大写字母"),
        ({"categories": {"A": {"name": ""}}}, "类别 A 需要 1–20 字的名称"),
        ({"categories": {"A": {"name": "综合", "slots": ["9-10"]}}}, '应写成 "09:00-09:30"'),
        ({"categories": {"A": {"name": "综合", "slots": ["10:00-09:00"]}}}, "结束应晚于开始"),
        (
            {
                "categories": {
                    "A": {"name": "综合", "slots": ["09:00-10:00", "09:30-10:30"], "capacity": 1}
                }
            },
            "预约时段重叠",
        ),
        ({"categories": {"A": {"name": "综合", "slots": ["09:00-10:00"]}}}, "capacity"),
        ({"windows": {"1": {"categories": ["Q"]}}}, "窗口 1 服务的类别不存在：Q"),
        ({"target_wait_minutes": -1}, "target_wait_minutes 应为 0–480 的整数"),
        ({"max_streak": 0}, "max_streak 应为 1–20 的整数"),
        ({"colour": "red"}, "未知的设置项：colour"),
    ],
)
def test_a_wrong_set_up_is_refused_saying_where(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigProblem) as problem:
        config.from_dict(FULL | change)
    assert message in str(problem.value)
