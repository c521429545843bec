"""Accounts across sites (issue 14): a user name is unique within its site, sign-in looks only
at the node's own site, the county's administrator manages any known site's accounts at the hub,
an account disabled by an event that arrives later is refused, and site.created applies twice.

The test node is a county node (site SITE); VILLAGE is a site it knows. Signing in "at the
village" is `authenticate(site=VILLAGE)`, what the village's own node does."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from counter_tui.accounts import events as ev
from counter_tui.accounts.models import UnknownLogin, UserAccount
from counter_tui.accounts.service import (
    LoginResult,
    authenticate,
    change_password,
    create_user,
    display_names,
    find_user,
    list_users,
    set_disabled,
)
from counter_tui.actor import Actor
from counter_tui.db import read_session, write_session
from counter_tui.errors import PermissionDenied
from counter_tui.ids import new_id
from counter_tui.journal.models import Event
from counter_tui.journal.registry import apply
from counter_tui.journal.service import projection_differences
from counter_tui.site.events import SITE_CREATED
from counter_tui.site.models import Site
from tests.conftest import Node
from tests.core.helpers import (
    CLERK_PASSWORD,
    VILLAGE,
    add_clerk,
    enrol_village,
    events,
    execute,
)

OTHER_COUNTY = "420606-FC-BYQ"
T0 = datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
VILLAGE_PASSWORD = "village-li-9"


def add_village_li(node: Node, actor: Actor | None = None) -> None:
    """The village's own 李四, created at the hub by the county's administrator."""
    with write_session(node.engine) as session:
        create_user(
            session,
            actor or node.operator,
            username="li",
            display_name="东湖李四",
            role="clerk",
            password=VILLAGE_PASSWORD,
            site=VILLAGE,
        )


def login(node: Node, username: str, password: str, *, site: str) -> LoginResult:
    with write_session(node.engine) as session:
        return authenticate(session, username, password, site=site, now=T0)


def arrived(site: str, type: str, payload: Mapping[str, object]) -> Event:
    """An event made at another node, as sync hands it to apply()."""
    return Event(
        id=new_id(),
        site=site,
        actor="admin",
        hlc="0000000000001.00000",
        type=type,
        payload=json.dumps(payload, ensure_ascii=False),
        prev_hash="",
        hash="",
    )


def make_village_node(node: Node) -> None:
    """Turn the test node into a village node (the node row is local, never an event)."""
    execute(node.engine, "UPDATE node SET level = 'village'")


# --- point 1: one user name, two sites -----------------------------------------------------


def test_two_sites_may_each_have_a_user_of_the_same_name(node: Node) -> None:
    enrol_village(node)
    add_clerk(node)  # the county's li
    add_village_li(node)

    with read_session(node.engine) as session:
        county_li = find_user(session, "li", site=node.site)
        village_li = find_user(session, "li", site=VILLAGE)
        village_users = [u.username for u in list_users(session, site=VILLAGE)]
    assert county_li is not None and village_li is not None
    assert (county_li.display_name, village_li.display_name) == ("李四", "东湖李四")
    assert (county_li.site, village_li.site) == (node.site, VILLAGE)
    assert village_users == ["li"]


def test_a_timeline_names_each_site_s_li_by_their_own_account(node: Node) -> None:
    enrol_village(node)
    add_clerk(node)
    add_village_li(node)

    with read_session(node.engine) as session:
        names = display_names(session, {(node.site, "li"), (VILLAGE, "li"), (VILLAGE, "admin")})

    # The village has no `admin` account here: the timeline shows the login name instead.
    assert names == {(node.site, "li"): "李四", (VILLAGE, "li"): "东湖李四"}


def test_sign_in_looks_only_at_the_accounts_of_the_nodes_own_site(node: Node) -> None:
    enrol_village(node)
    add_clerk(node)
    add_village_li(node)

    at_county_with_village_password = login(node, "li", VILLAGE_PASSWORD, site=node.site)
    at_village = login(node, "li", VILLAGE_PASSWORD, site=VILLAGE)

    assert at_county_with_village_password.actor is None
    assert at_county_with_village_password.message.startswith("用户名或密码错误")
    assert at_village.actor is not None
    assert (at_village.actor.site, at_village.display_name) == (VILLAGE, "东湖李四")
    with read_session(node.engine) as session:
        village_li = find_user(session, "li", site=VILLAGE)
    assert village_li is not None and at_village.actor.user_id == village_li.id


def test_a_name_without_an_account_is_locked_at_its_own_site_only(node: Node) -> None:
    for _ in range(5):
        last = login(node, "ghost", "whatever-1", site=node.site)
    assert "已锁定" in last.message

    elsewhere = login(node, "ghost", "whatever-1", site=VILLAGE)

    assert elsewhere.message.startswith("用户名或密码错误（再错 4 次")
    with read_session(node.engine) as session:
        probes = {(p.site, p.username): p for p in session.exec(select(UnknownLogin))}
    assert probes[(node.site, "ghost")].locked_until is not None
    assert probes[(VILLAGE, "ghost")].failed_logins == 1


# --- point 2: who manages which site's accounts --------------------------------------------


def test_the_county_admin_creates_and_disables_accounts_of_a_known_site(node: Node) -> None:
    enrol_village(node)

    add_village_li(node)
    created = events(node.engine, ev.USER_CREATED)[-1]
    with write_session(node.engine) as session:
        set_disabled(session, node.operator, "li", True, site=VILLAGE)

    # Recorded at the hub (the event's site), for the village (the payload's).
    assert (created.site, json.loads(created.payload)["site"]) == (node.site, VILLAGE)
    with read_session(node.engine) as session:
        user = find_user(session, "li", site=VILLAGE)
    assert user is not None and (user.site, user.disabled) == (VILLAGE, True)
    assert login(node, "li", VILLAGE_PASSWORD, site=VILLAGE).message == "账号已停用，请联系管理员"
    with read_session(node.engine) as session:
        assert projection_differences(session) == []  # replay gives the same accounts


def test_the_county_admin_cannot_create_accounts_for_a_site_the_hub_does_not_know(
    node: Node,
) -> None:
    before = len(events(node.engine))

    with pytest.raises(PermissionDenied) as refused:
        add_village_li(node)

    assert refused.value.message == (
        f"本机不知道这个站点：{VILLAGE}（县级平台先登记站点，才能为它新增或停用账号）"
    )
    assert len(events(node.engine)) == before


def test_a_village_admin_manages_only_its_own_sites_accounts(node: Node) -> None:
    enrol_village(node, OTHER_COUNTY)
    make_village_node(node)
    add_clerk(node)
    own_admin = node.operator
    refusal = f"只能管理本站点（{node.site}）的账号：其他站点的账号由县级平台的管理员管理"
    before = len(events(node.engine))

    attempts: list[Callable[[Session], object]] = [
        lambda s: create_user(
            s,
            own_admin,
            username="wu",
            display_name="吴六",
            role="clerk",
            password=CLERK_PASSWORD,
            site=OTHER_COUNTY,
        ),
        lambda s: set_disabled(s, own_admin, "li", True, site=OTHER_COUNTY),
        lambda s: change_password(s, own_admin, "li", "new-pass-456", site=OTHER_COUNTY),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused, write_session(node.engine) as session:
            attempt(session)
        assert refused.value.message == refusal

    assert len(events(node.engine)) == before
    with write_session(node.engine) as session:  # its own site's, as before
        set_disabled(session, own_admin, "li", True)


def test_an_admin_of_another_site_signed_in_here_cannot_reach_past_their_site(
    node: Node,
) -> None:
    """Only the hub's own administrator speaks for the county: an account of a village signed
    in (somehow) at the hub is still an administrator of that village only."""
    enrol_village(node)
    village_admin = Actor(username="boss", role="admin", site=VILLAGE)

    with pytest.raises(PermissionDenied), write_session(node.engine) as session:
        set_disabled(session, village_admin, "admin", True, site=node.site)


def test_a_user_created_before_the_site_field_existed_belongs_to_the_events_site(
    node: Node,
) -> None:
    old = {
        "id": new_id(),
        "username": "zhao",
        "display_name": "赵六",
        "role": "clerk",
        "password_hash": "$argon2id$old",
        "at": "2026-11-20T09:00:00+00:00",
    }
    with write_session(node.engine) as session:
        apply(session, arrived(VILLAGE, ev.USER_CREATED, old))
    with read_session(node.engine) as session:
        user = session.get(UserAccount, old["id"])
    assert user is not None and user.site == VILLAGE


# --- point 3: disabled by an event that arrives later --------------------------------------


def test_an_account_disabled_by_an_event_that_arrives_later_is_refused_at_the_next_sign_in(
    node: Node,
) -> None:
    add_clerk(node)
    assert login(node, "li", CLERK_PASSWORD, site=node.site).actor is not None
    with read_session(node.engine) as session:
        li = find_user(session, "li", site=node.site)
    assert li is not None

    # The hub's administrator disabled li; the event reaches this node by sync.
    disabled = {"id": li.id, "at": "2026-12-07T01:35:00+00:00"}
    with write_session(node.engine) as session:
        apply(session, arrived("421202", ev.USER_DISABLED, disabled))

    refused = login(node, "li", CLERK_PASSWORD, site=node.site)
    assert (refused.actor, refused.message) == (None, "账号已停用，请联系管理员")
    last = events(node.engine)[-1]
    assert (last.type, json.loads(last.payload)["reason"]) == (ev.USER_LOGIN_REFUSED, "disabled")


# --- point 5: site.created applied twice ---------------------------------------------------


def test_a_site_created_again_by_sync_updates_the_site_and_never_fails(node: Node) -> None:
    enrol_village(node)  # the hub enrols the village
    own = {"code": VILLAGE, "name": "东湖村便民服务室（村）", "level": "village"}

    with write_session(node.engine) as session:  # the village's own init arrives by sync
        apply(session, arrived(VILLAGE, SITE_CREATED, own))
        apply(session, arrived(VILLAGE, SITE_CREATED, own))  # and again: a repeat

    with read_session(node.engine) as session:
        sites = session.exec(select(Site).where(Site.code == VILLAGE)).all()
        assert [s.name for s in sites] == ["东湖村便民服务室（村）"]
