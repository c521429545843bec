"""Accounts: creating users, signing in, lockout, and permissions checked in the service itself
(DESIGN §4.7). Times are passed in as `now`, never waited for."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from counter_tui.accounts import passwords, rules
from counter_tui.accounts.passwords import needs_rehash
from counter_tui.accounts.service import (
    LoginResult,
    authenticate,
    change_password,
    create_user,
    find_user,
    set_disabled,
)
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied, UserError
from counter_tui.journal.service import record
from tests.conftest import Node
from tests.core.helpers import CLERK_PASSWORD, add_clerk, event_types, events, import_test_catalog

T0 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def login(node: Node, username: str, password: str, now: datetime = T0) -> LoginResult:
    with write_session(node.engine) as session:
        return authenticate(session, username, password, site=node.site, window="3", now=now)


BAD_INPUT = [
    ({"username": "Li Si"}, "用户名应为"),
    ({"username": "x"}, "用户名应为"),
    ({"role": "boss"}, "未知角色：boss"),
    ({"role": "approver"}, "必须指定所属部门"),
    ({"password": "short"}, "密码至少 8 位"),
    ({"password": " padded-password "}, "首尾不能有空格"),
    ({"display_name": " \x1b\x07\u200f "}, "姓名不能为空"),
]


def test_create_user_refuses_bad_input_with_a_message(node: Node) -> None:
    before = len(events(node.engine))
    valid: dict[str, Any] = {
        "username": "li",
        "display_name": "李四",
        "role": "clerk",
        "password": CLERK_PASSWORD,
    }

    for changes, message in BAD_INPUT:
        with pytest.raises(UserError) as refused, write_session(node.engine) as session:
            create_user(session, node.operator, **(valid | changes))
        assert message in refused.value.message, changes

    assert len(events(node.engine)) == before


def test_create_user_stores_an_argon2id_hash_and_never_the_password(
    node: Node, tmp_path: Path
) -> None:
    import_test_catalog(node, tmp_path / "catalog")
    with write_session(node.engine) as session:
        user = create_user(
            session,
            node.operator,
            username="wang",
            display_name="王芳\x07",
            role="approver",
            department="SCJG",
            password="wang-secret-9",
        )

    assert user.password_hash.startswith("$argon2id$")
    assert not needs_rehash(user.password_hash)
    assert (user.display_name, user.department, user.site) == ("王芳", "SCJG", node.site)
    journal = events(node.engine)
    assert journal[-1].type == "user.created"
    assert all("wang-secret-9" not in e.payload for e in journal)
    with read_session(node.engine) as session:
        stored = find_user(session, "wang", site=node.site)
    assert stored is not None and stored.password_hash == user.password_hash


def test_a_username_can_be_taken_only_once(node: Node) -> None:
    add_clerk(node)

    with pytest.raises(UserError, match="用户名已存在：li"), write_session(node.engine) as s:
        create_user(
            s,
            node.operator,
            username="li",
            display_name="另一个李四",
            role="clerk",
            password="other-pass-1",
        )


def test_login_with_the_right_password_signs_in_and_is_recorded(node: Node) -> None:
    add_clerk(node)

    result = login(node, " li ", CLERK_PASSWORD)

    assert result.actor is not None and result.message == ""
    assert (result.actor.username, result.actor.role, result.actor.window) == ("li", "clerk", "3")
    assert result.display_name == "李四"
    last = events(node.engine)[-1]
    assert (last.type, last.actor) == ("user.login_succeeded", "li")
    with read_session(node.engine) as session:
        user = find_user(session, "li", site=node.site)
    assert user is not None and user.last_login_at == T0


def test_a_wrong_password_says_how_many_attempts_are_left(node: Node) -> None:
    add_clerk(node)

    first = login(node, "li", "wrong-one")
    second = login(node, "li", "wrong-two")

    assert first.actor is None and "用户名或密码错误" in first.message
    assert "再错 4 次" in first.message and "再错 3 次" in second.message
    assert event_types(node.engine)[-2:] == ["user.login_failed", "user.login_failed"]


def test_an_unknown_user_gets_the_same_answer_and_is_recorded(node: Node) -> None:
    add_clerk(node)

    result = login(node, "nobody\x1b[31m", "whatever")

    assert result.actor is None
    assert result.message == login(node, "li", "whatever").message
    assert result.message == "用户名或密码错误（再错 4 次将锁定 5 分钟）"
    last = events(node.engine, "login.unknown_user")[-1]
    assert last.actor == "nobody[31m"  # the escape character never reaches the journal


def test_an_unknown_name_counts_down_and_locks_like_an_account(node: Node) -> None:
    """Names cannot be told apart by trying: every answer is the same, lockout included."""
    add_clerk(node)

    known = lock_out(node, "li")
    unknown = lock_out(node, "nobody")

    assert [r.message for r in unknown] == [r.message for r in known]
    assert "再错 1 次" in unknown[-2].message and "账号已锁定至" in unknown[-1].message
    during = T0 + timedelta(minutes=2)
    refused = login(node, "nobody", "x", now=during)
    assert refused.message == login(node, "li", "x", now=during).message
    assert "账号已锁定，请于" in refused.message
    after = T0 + timedelta(minutes=6)
    again = login(node, "nobody", "x", now=after)
    assert again.message == login(node, "li", "x", now=after).message
    assert "再错 4 次" in again.message  # the lockout ended: counted from one again


def test_an_unknown_name_costs_one_argon2_check_like_a_wrong_password(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_clerk(node)
    checked: list[str | None] = []
    real = passwords.verify_password

    def counting(stored: str | None, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr("counter_tui.accounts.service.verify_password", counting)

    login(node, "li", "wrong-pass")
    login(node, "nobody", "wrong-pass")

    assert len(checked) == 2 and checked[0] is not None and checked[1] is None


def test_an_approver_must_belong_to_a_department_of_the_catalog(node: Node, tmp_path: Path) -> None:
    def add(department: str) -> None:
        with write_session(node.engine) as session:
            create_user(
                session,
                node.operator,
                username="wang",
                display_name="王芳",
                role="approver",
                department=department,
                password="wang-secret-9",
            )

    with pytest.raises(UserError, match="本机还没有事项目录"):
        add("SCJG")
    import_test_catalog(node, tmp_path / "catalog")
    with pytest.raises(UserError) as refused:
        add("NOPE")
    assert refused.value.message == (
        "目录中没有这个部门：NOPE（可用：SCJG（区市场监督管理局）、SWJ（区税务局））"
    )
    assert len(events(node.engine, "user.created")) == 1  # only the admin

    add("SWJ")

    with read_session(node.engine) as session:
        added = find_user(session, "wang", site=node.site)
    assert added is not None and added.department == "SWJ"


def lock_out(node: Node, username: str = "li") -> list[LoginResult]:
    return [
        login(node, username, f"wrong-{n}", now=T0 + timedelta(seconds=n))
        for n in range(rules.MAX_FAILED_LOGINS)
    ]


def test_five_wrong_passwords_lock_the_account_for_five_minutes(node: Node) -> None:
    add_clerk(node)
    before = len(events(node.engine))

    results = lock_out(node)

    assert "再错 1 次" in results[-2].message
    assert "账号已锁定至" in results[-1].message
    locked_at = T0 + timedelta(seconds=rules.MAX_FAILED_LOGINS - 1)
    refused = login(node, "li", CLERK_PASSWORD, now=locked_at + timedelta(minutes=4, seconds=59))
    assert refused.actor is None and "账号已锁定" in refused.message
    assert event_types(node.engine)[before:] == ["user.login_failed"] * 5 + [
        "user.locked",
        "user.login_refused",
    ]

    after = login(node, "li", CLERK_PASSWORD, now=locked_at + timedelta(minutes=5, seconds=1))

    assert after.actor is not None
    assert event_types(node.engine)[-1] == "user.login_succeeded"


def test_attempts_while_locked_do_not_extend_the_lockout(node: Node) -> None:
    add_clerk(node)
    lock_out(node)
    locked_at = T0 + timedelta(seconds=rules.MAX_FAILED_LOGINS - 1)

    for minute in range(1, 5):
        login(node, "li", "still-guessing", now=locked_at + timedelta(minutes=minute))

    assert login(node, "li", CLERK_PASSWORD, now=locked_at + timedelta(minutes=5, seconds=1)).actor


def test_a_new_password_lifts_the_lockout(node: Node) -> None:
    add_clerk(node)
    lock_out(node)

    with write_session(node.engine) as session:
        change_password(session, node.operator, "li", "li-new-pass-1")

    assert login(node, "li", CLERK_PASSWORD, now=T0 + timedelta(minutes=1)).actor is None
    assert login(node, "li", "li-new-pass-1", now=T0 + timedelta(minutes=1)).actor is not None


def test_a_disabled_user_is_refused_until_enabled_again(node: Node) -> None:
    add_clerk(node)
    with write_session(node.engine) as session:
        set_disabled(session, node.operator, "li", True)

    refused = login(node, "li", CLERK_PASSWORD)

    assert refused.actor is None and "账号已停用" in refused.message
    assert event_types(node.engine)[-2:] == ["user.disabled", "user.login_refused"]
    with write_session(node.engine) as session:
        set_disabled(session, node.operator, "li", False)
    assert login(node, "li", CLERK_PASSWORD).actor is not None


def test_a_clerk_cannot_manage_accounts(node: Node) -> None:
    add_clerk(node)
    add_clerk(node, "zhang")
    clerk = login(node, "li", CLERK_PASSWORD).actor
    assert clerk is not None
    before = len(events(node.engine))

    with pytest.raises(PermissionDenied, match="无权管理账号"), write_session(node.engine) as s:
        create_user(
            s, clerk, username="mallory", display_name="某人", role="admin", password="x-pass-123"
        )
    with pytest.raises(PermissionDenied), write_session(node.engine) as s:
        set_disabled(s, clerk, "zhang", True)
    with pytest.raises(PermissionDenied), write_session(node.engine) as s:
        change_password(s, clerk, "zhang", "taken-over-1")

    assert len(events(node.engine)) == before


def test_users_may_change_their_own_password(node: Node) -> None:
    add_clerk(node)
    clerk = login(node, "li", CLERK_PASSWORD).actor
    assert clerk is not None

    with write_session(node.engine) as session:
        change_password(session, clerk, "li", "li-own-choice")

    assert login(node, "li", "li-own-choice").actor is not None
    last_change = events(node.engine, "user.password_changed")[-1]
    assert last_change.actor == "li"


def test_a_supervisor_may_verify_the_audit_but_not_manage_users() -> None:
    supervisor = Actor(username="zhao", role="supervisor", site="421202-XA-BYQ")

    assert rules.permission_problem(supervisor.role, "audit.verify") is None
    assert (
        rules.permission_problem(supervisor.role, "users.manage")
        == "当前角色（督查管理）无权管理账号"
    )


def test_a_hash_made_with_older_parameters_is_upgraded_at_the_next_login(node: Node) -> None:
    add_clerk(node)
    old_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=2).hash(CLERK_PASSWORD)
    with write_session(node.engine) as session:
        user = find_user(session, "li", site=node.site)
        assert user is not None
        # What an older counter-tui would have recorded.
        payload = {"id": user.id, "password_hash": old_hash, "at": T0.isoformat()}
        record(session, node.operator, "user.password_changed", payload)

    assert login(node, "li", CLERK_PASSWORD).actor is not None

    assert event_types(node.engine)[-2:] == ["user.login_succeeded", "user.password_changed"]
    with read_session(node.engine) as session:
        upgraded = find_user(session, "li", site=node.site)
    assert upgraded is not None and upgraded.password_hash != old_hash
    assert not needs_rehash(upgraded.password_hash)
    assert login(node, "li", CLERK_PASSWORD).actor is not None
    assert event_types(node.engine)[-1] == "user.login_succeeded"  # upgraded once only


def test_production_hashes_with_the_strong_parameters_and_the_suite_with_cheap_ones() -> None:
    strong = passwords.hasher_for({})
    assert (strong.time_cost, strong.memory_cost, strong.parallelism) == (2, 19 * 1024, 1)
    assert passwords.hasher_for({passwords.TEST_HASHING_VARIABLE: "0"}).memory_cost == 19 * 1024
    # This suite runs cheap (tests/conftest.py); its hashes verify anywhere, and a node that
    # ran cheap by mistake upgrades each password at its next login.
    cheap_hash = passwords.hash_password(CLERK_PASSWORD)
    assert "$m=8,t=1,p=1$" in cheap_hash
    assert strong.verify(cheap_hash, CLERK_PASSWORD) and strong.check_needs_rehash(cheap_hash)


def test_a_program_started_without_the_test_variable_hashes_strongly(tmp_path: Path) -> None:
    code = "from counter_tui.accounts.passwords import hash_password; print(hash_password('x'))"
    env = {k: v for k, v in os.environ.items() if k != passwords.TEST_HASHING_VARIABLE}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"$m={19 * 1024},t=2,p=1$" in done.stdout
