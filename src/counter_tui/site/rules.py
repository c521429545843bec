"""What a site code looks like."""

import re

#: e.g. 421202-XA-BYQ: a six-digit administrative division code, then letter groups.
SITE_CODE = re.compile(r"^\d{6}(-[A-Z0-9]{1,12}){0,4}$")
#: A case number is the site code and 12 more characters (cases.rules.case_number), and must
#: fit the 64 of `cases.number`.
MAX_SITE_CODE = 52


def site_code_problem(code: str) -> str | None:
    """None if `code` is a valid site code, else what is wrong with it, in Chinese."""
    if not SITE_CODE.match(code):
        return (
            f"站点编码格式不对：{code}（应为 6 位行政区划代码，后接大写字母或数字分段，"
            "如 421202-XA-BYQ）"
        )
    if len(code) > MAX_SITE_CODE:
        return f"站点编码太长：{code}（最多 {MAX_SITE_CODE} 个字符，办件编号里含站点编码）"
    return None


#: Where a node accepts items (the catalog's `levels`).
NODE_LEVELS = {"county": "县级", "town": "乡镇（街道）", "village": "村（社区）"}


def level_problem(level: str) -> str | None:
    if level not in NODE_LEVELS:
        options = "、".join(f"{k}（{v}）" for k, v in NODE_LEVELS.items())
        return f"未知站点层级：{level}（可用：{options}）"
    return None
