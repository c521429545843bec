"""Creating the node's site and reading the node's identity."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from counter_tui.actor import Actor
from counter_tui.errors import UserError
from counter_tui.journal.service import record
from counter_tui.site.events import SITE_CREATED, SiteCreated
from counter_tui.site.models import Node, Site
from counter_tui.site.rules import level_problem, site_code_problem
from counter_tui.text import clean


def initialise_node(
    session: Session, *, site: str, name: str, demo: bool = False, level: str = "county"
) -> Actor:
    """Write the node's identity and record its site; returns the local operator of that site."""
    problem = site_code_problem(site) or level_problem(level)
    if problem:
        raise UserError(problem)
    name = clean(name)
    if not name:
        raise UserError("站点名称不能为空")
    if session.get(Node, 1) is not None:
        raise UserError("该数据库已经初始化过，不能再次初始化")
    session.add(Node(site=site, demo=demo, level=level, created_at=datetime.now(UTC)))
    operator = Actor.local_operator(site)
    record(session, operator, SITE_CREATED, SiteCreated(code=site, name=name, level=level))
    return operator


def node(session: Session) -> Node:
    found = session.get(Node, 1)
    if found is None:
        raise UserError("数据库尚未初始化（请运行 counter-tui init --site 编码 --name 名称）")
    return found


def is_demo(session: Session) -> bool:
    """Whether this database is a demo (training) hall: what it prints carries the training
    mark (notices, slips, reports). False before `init`: nothing is printed then."""
    found = session.get(Node, 1)
    return found is not None and found.demo


def site_name(session: Session, code: str) -> str:
    found = session.get(Site, code)
    return found.name if found else code
