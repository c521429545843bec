"""The demo hall's accounts: the trainer's and one per role, with simple passwords that the login
screen shows. Fixed, not drawn from the seed, so that a trainer's handout stays right for every
hall; only the staff's display names come from the seed.

Two more window clerks (`clerk2`, `clerk3`) served the hall's past days at windows 2 and 3, so
that the rankings compare people; they can sign in too, but are not listed on the login screen.
"""

from __future__ import annotations

from dataclasses import dataclass

#: One password for every demo account: a room of trainees remembers one.
PASSWORD = "demo1234"
#: The two departments whose back office has demo approvers (codes of the shipped catalog).
DEPARTMENT_A = "MZJ"
DEPARTMENT_B = "RSJ"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    #: Role code (accounts.rules.ROLES).
    role: str
    #: What the login screen says of it: the role label, with the department or window.
    label: str
    #: What to practise with it.
    note: str
    department: str | None = None
    #: The window a clerk works at.
    window: str | None = None
    #: Listed on the login screen (the colleagues behind the rankings are not).
    listed: bool = True


TRAINER = DemoAccount("demo", PASSWORD, "trainer", "培训讲师", "可做窗口和后台的所有练习")
ACCOUNTS: tuple[DemoAccount, ...] = (
    TRAINER,
    DemoAccount(
        "clerk", PASSWORD, "clerk", "窗口人员·1号窗口", "叫号、受理、移交、出件", window="1"
    ),
    DemoAccount(
        "minzheng",
        PASSWORD,
        "approver",
        "后台审批·民政局",
        "认领、补正、审批民政事项",
        department=DEPARTMENT_A,
    ),
    DemoAccount(
        "renshe",
        PASSWORD,
        "approver",
        "后台审批·人社局",
        "认领、补正、审批人社事项",
        department=DEPARTMENT_B,
    ),
    DemoAccount("ducha", PASSWORD, "supervisor", "督查管理", "统计、排名、超期督办、差评整改"),
    DemoAccount(
        "clerk2", PASSWORD, "clerk", "窗口人员·2号窗口", "往日办件的同事", window="2", listed=False
    ),
    DemoAccount(
        "clerk3", PASSWORD, "clerk", "窗口人员·3号窗口", "往日办件的同事", window="3", listed=False
    ),
)


def listed_accounts() -> tuple[DemoAccount, ...]:
    """The accounts the login screen shows: the trainer's first, then one per role."""
    return tuple(account for account in ACCOUNTS if account.listed)
