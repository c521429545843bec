"""Code sets and checks of assisted service (帮代办). Pure: no I/O."""

from __future__ import annotations

#: How the help was given.
WAYS: dict[str, str] = {"window": "窗口代办", "home": "上门", "mail": "邮寄"}

#: For whom (issue 16, point 3); 其他 needs a note saying who.
FOR_WHOM: dict[str, str] = {
    "elderly": "老年人",
    "disabled": "残疾人",
    "enterprise": "企业项目",
    "other": "其他",
}

#: A day's work at most: more is a typing mistake.
MAX_MINUTES = 600
NOTE_MAX = 500


def assist_problem(way: str, for_whom: str, minutes: int, note: str) -> str | None:
    """None when the fields are usable, else the first problem, in Chinese."""
    if way not in WAYS:
        options = "、".join(f"{k}（{v}）" for k, v in WAYS.items())
        return f"未知的帮代办方式：{way}（可用：{options}）"
    if for_whom not in FOR_WHOM:
        options = "、".join(f"{k}（{v}）" for k, v in FOR_WHOM.items())
        return f"未知的服务对象：{for_whom}（可用：{options}）"
    if not 1 <= minutes <= MAX_MINUTES:
        return f"用时应为 1–{MAX_MINUTES} 分钟：{minutes}"
    if for_whom == "other" and not note:
        return "服务对象为“其他”时，请在备注里写明是谁"
    if len(note) > NOTE_MAX:
        return f"备注太长（最多 {NOTE_MAX} 字，现 {len(note)} 字）"
    return None
