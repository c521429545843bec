"""Roles, what each may do, and the password and lockout policy. Pure: no I/O."""

from __future__ import annotations

import re
from datetime import timedelta

ROLES: dict[str, str] = {
    "clerk": "窗口人员",
    "approver": "后台审批",
    "supervisor": "督查管理",
    "admin": "管理员",
    "trainer": "培训讲师",
}

#: The role of the command line's own actor (Actor.command_line); not in ROLES, so no account
#: can be given it.
OPERATOR = "operator"

#: action → (what it is called, the roles allowed). Later capabilities add their actions here.
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "users.manage": ("管理账号", frozenset({"admin"})),
    "audit.verify": ("核验日志", frozenset({"admin", "supervisor"})),
    "catalog.manage": ("导入事项目录", frozenset({"admin"})),
    "calendar.manage": ("导入工作日历", frozenset({"admin"})),
    "cases.intake": ("受理办件", frozenset({"clerk", "trainer"})),
    # The kiosk and scripts run the CLI without signing in, as `operator` (Actor.command_line):
    # a role no account can have, allowed these window steps and nothing else.
    "queue.issue": ("取号", frozenset({"clerk", "trainer", OPERATOR})),
    "queue.call": ("叫号", frozenset({"clerk", "trainer", OPERATOR})),
    "queue.book": ("预约", frozenset({"clerk", "trainer", OPERATOR})),
    "queue.manage": ("设置叫号", frozenset({"admin"})),
    # The rating pad at a window runs unsigned, as `operator`; feedback.ratings lets that role
    # record only the pad's own channel.
    "ratings.record": (
        "记录评价",
        frozenset({"clerk", "supervisor", "admin", "trainer", OPERATOR}),
    ),
    "ratings.followup": ("办理差评整改", frozenset({"supervisor", "admin"})),
    "ratings.appeal": ("复核差评申诉", frozenset({"supervisor", "admin"})),
    "ratings.import": ("导入评价", frozenset({"supervisor", "admin"})),
    # Hard cases (办不成事) and assisted service (帮代办), issue 16: the 办不成事 window's clerk
    # and the supervisors run the loop; only a supervisor records a 督办. An approver may record
    # their own department's reply (feedback.hard_cases.reply checks the department).
    "feedback.hard_case": ("登记办不成事", frozenset({"clerk", "trainer", "supervisor"})),
    "feedback.hard_case_supervise": ("督办", frozenset({"supervisor"})),
    "assistance.record": ("登记帮代办", frozenset({"clerk", "trainer", "supervisor"})),
    # The county's sync desk (issue 17): supervisors and admins read it, and so does the hub's
    # own machine account on the command line (as `hub sites` and `hub problems`); only an
    # admin retries or sets aside a quarantined event.
    "sync.desk": ("查看同步台", frozenset({"supervisor", "admin", OPERATOR})),
    "sync.quarantine": ("重试或处理隔离事件", frozenset({"admin"})),
}

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{1,31}$")


def role_label(role: str) -> str:
    if role == OPERATOR:
        return "命令行（未登录）"
    return ROLES.get(role, role)


def allowed(role: str, action: str) -> bool:
    return role in PERMISSIONS[action][1]


def permission_problem(role: str, action: str) -> str | None:
    """None when `role` may do `action`, else the refusal shown to the user."""
    if allowed(role, action):
        return None
    what = PERMISSIONS[action][0]
    return f"当前角色（{role_label(role)}）无权{what}"


#: Roles that read the statistics (F6, reports) of the whole hall: any department, window or
#: clerk. The others read their own share only (`report_scope_problem`).
HALL_REPORT_ROLES = frozenset({"supervisor", "admin"})


def report_scope_problem(
    role: str,
    *,
    own_username: str,
    own_window: str | None,
    own_department: str | None,
    department: str | None = None,
    window: str | None = None,
    clerk: str | None = None,
) -> str | None:
    """None when `role` may read the figures of that scope (all None: the whole hall), else
    the refusal.

    Supervisors and administrators read the hall, a department, a window or a clerk. A clerk
    (and a trainer, who works as one) reads their own window or their own work, nothing wider:
    a ranking of colleagues is the supervisor's business. An approver reads their own
    department. The command line's operator reads nothing through this rule (scripts on the
    node's own machine use the reports CLI, which signs nobody in)."""
    if role in HALL_REPORT_ROLES:
        return None
    if role in ("clerk", "trainer"):
        if department is None and clerk is None and window is not None and window == own_window:
            return None
        if department is None and window is None and clerk == own_username:
            return None
        return f"当前角色（{role_label(role)}）只能查看本窗口或本人的统计"
    if role == "approver":
        if own_department and department == own_department and window is None and clerk is None:
            return None
        return f"当前角色（{role_label(role)}）只能查看本部门的统计"
    return f"当前角色（{role_label(role)}）无权查看统计"


def site_scope_problem(
    actor_site: str, site: str, *, node_site: str, node_level: str, known: bool
) -> str | None:
    """None when an administrator of `actor_site`, signed in at this node, may manage the
    accounts of `site`, else the refusal.

    Each site's administrator manages that site's accounts; the county's administrator, at the
    county hub (a node of level county, signed in for the hub's own site), may also manage those
    of any site the hub knows: they reach that site on its next pull.
    """
    if site == actor_site:
        return None
    if node_level != "county" or actor_site != node_site:
        return f"只能管理本站点（{actor_site}）的账号：其他站点的账号由县级平台的管理员管理"
    if not known:
        return f"本机不知道这个站点：{site}（县级平台先登记站点，才能为它新增或停用账号）"
    return None


def username_problem(username: str) -> str | None:
    if not USERNAME.match(username):
        return "用户名应为 2–32 位小写字母、数字或 _ . -，以字母开头"
    return None


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少 {MIN_PASSWORD_LENGTH} 位"
    if password.strip() != password:
        return "密码首尾不能有空格"
    return None


def role_problem(role: str, department: str | None) -> str | None:
    if role not in ROLES:
        options = "、".join(f"{k}（{v}）" for k, v in ROLES.items())
        return f"未知角色：{role}（可用：{options}）"
    if role == "approver" and not department:
        return "后台审批人员必须指定所属部门（--department）"
    return None
