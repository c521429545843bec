"""Importing the ratings of the provincial 好差评 system from its CSV export
(docs/ratings-import.md describes the columns).

All or nothing: every row is read and recorded in one transaction, every problem is collected
with its line number (a missing column, an undecodable line, an unknown case, a duplicate, a
level outside 1–5 …), and if there is any the transaction is rolled back and all of them are
reported together, so a fixed file can simply be imported again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from counter_tui.accounts.service import require
from counter_tui.actor import Actor
from counter_tui.clock import now_local, to_local
from counter_tui.errors import UserError
from counter_tui.feedback import rules
from counter_tui.feedback.ratings import RatingRecord, record_rating
from counter_tui.feedback.rules import RatingRefused

#: Required columns, by their header text in the export.
CASE, CHANNEL, LEVEL, RATED_AT = "办件编号", "评价渠道", "评价等级", "评价时间"
#: Optional columns.
REASONS, COMMENT, DEFAULT = "差评原因", "评价内容", "是否默认评价"
REQUIRED = (CASE, CHANNEL, LEVEL, RATED_AT)

#: How the export names a channel → our code.
CHANNEL_NAMES: dict[str, str] = {
    "网上": "online",
    "网站": "online",
    "网办": "online",
    "PC": "online",
    "PC端": "online",
    "移动端": "online",
    "APP": "online",
    "小程序": "online",
    "电话": "phone",
    "12345": "phone",
    "电话回访": "phone",
    "短信": "sms",
    "窗口": "window",
    "评价器": "window",
} | {code: code for code in rules.CHANNELS}
_REASON_SPLIT = re.compile(r"[;；、|,，]")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
#: Problems shown at most (the rest are counted).
MAX_SHOWN = 50


class ImportRefused(UserError):
    """The file was not imported; the message lists every problem with its line."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_SHOWN]
        more = len(problems) - len(shown)
        tail = f"\n……另有 {more} 处问题" if more else ""
        super().__init__(
            f"评价文件有 {len(problems)} 处问题，未导入任何评价：\n" + "\n".join(shown) + tail
        )
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    ratings: list[RatingRecord]
    encoding: str

    @property
    def followups(self) -> int:
        return sum(1 for r in self.ratings if r.followup_state is not None)


def decode(data: bytes) -> tuple[list[str], str]:
    """The file's lines as text, and the encoding read: UTF-8 (with or without a BOM) or GB18030.

    A file is UTF-8 when all its lines are, or when some line with Chinese text is (then a line
    that is not is damaged, not another encoding); otherwise GB18030. A line that does not decode
    is a problem naming it."""
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    raw = data.split(b"\n")
    utf8 = [_decodes(line, "utf-8") for line in raw]
    chinese_utf8 = any(ok and not line.isascii() for ok, line in zip(utf8, raw, strict=True))
    if not all(utf8) and not chinese_utf8:
        encoding = "gb18030"
    bad = [n for n, line in enumerate(raw, 1) if not _decodes(line, encoding)]
    if bad:
        name = "UTF-8" if encoding == "utf-8" else "UTF-8 或 GB18030"
        raise ImportRefused([f"第 {n} 行：无法按 {name} 解码，请检查该行文字" for n in bad])
    return [line.decode(encoding).rstrip("\r") for line in raw], encoding


def _decodes(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _time(text: str) -> datetime | None:
    for pattern in _TIME_FORMATS:
        try:
            return to_local(datetime.strptime(text.strip(), pattern))
        except ValueError:
            continue
    return None


def _default(text: str) -> bool | None:
    value = text.strip()
    if value in ("", "否", "0", "N", "n"):
        return False
    if value in ("是", "1", "Y", "y", "默认"):
        return True
    return None


def import_ratings(
    session: Session,
    actor: Actor,
    data: bytes,
    *,
    followup_days: int,
    now: datetime | None = None,
) -> Imported:
    """Record every row of the export as a case rating (一事一评), or none (ImportRefused)."""
    require(actor, "ratings.import")
    now = now_local(now)
    lines, encoding = decode(data)
    reader = csv.DictReader(io.StringIO("\n".join(lines), newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportRefused([f"第 1 行（表头）：缺少列 {'、'.join(missing)}"])
    reader.fieldnames = header
    problems: list[str] = []
    made: list[RatingRecord] = []
    start = 1
    for row in reader:
        line, start = start + 1, reader.line_num
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        if None in row:  # more fields than the header has
            problems.append(f"第 {line} 行：字段比表头多，请检查逗号")
            continue
        try:
            made.append(_record(session, actor, row, followup_days, now))
        except RatingRefused as refused:
            problems.append(f"第 {line} 行：{refused.message}")
    if problems:
        raise ImportRefused(problems)
    return Imported(made, encoding)


def _record(
    session: Session, actor: Actor, row: dict[str, str], followup_days: int, now: datetime
) -> RatingRecord:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    channel = CHANNEL_NAMES.get(cell(CHANNEL))
    if channel is None:
        raise RatingRefused(f"未知的评价渠道：{cell(CHANNEL) or '（空）'}（如 网上、电话、短信）")
    default = _default(cell(DEFAULT))
    if default is None:
        raise RatingRefused(f"是否默认评价应为 是 或 否，现在是 {cell(DEFAULT)}")
    level_text = cell(LEVEL)
    level = rules.parse_level(level_text)
    if level is None and level_text:
        raise RatingRefused(
            f"评价等级应为 1–5 或其名称（非常满意 … 非常不满意），现在是 {level_text}"
        )
    rated_at = _time(cell(RATED_AT))
    if rated_at is None:
        raise RatingRefused(f"评价时间应写成 2026-11-13 15:00，现在是 {cell(RATED_AT) or '（空）'}")
    given = not default and level is not None
    reasons = [r for r in _REASON_SPLIT.split(cell(REASONS)) if r.strip()]
    return record_rating(
        session,
        actor,
        kind=rules.CASE,
        channel=channel,
        level=level,
        given=given,
        case=cell(CASE),
        reasons=reasons,
        comment=cell(COMMENT),
        rated_at=rated_at,
        followup_days=followup_days,
        now=now,
    )
