"""Two approvers of one department claim the same handed-off case at the same moment, each its own
process on one database (both engines): exactly one gets it, the other is told who has it."""

from __future__ import annotations

import selectors
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from counter_tui.accounts.service import create_user
from counter_tui.cases import backoffice, commands
from counter_tui.cases.lifecycle import IN_REVIEW
from counter_tui.cases.models import Case, CaseStep
from counter_tui.db import read_session, write_session
from counter_tui.journal.service import verify
from tests.cases.catalog import open_hall
from tests.cases.window import complete_f5
from tests.conftest import HALL, Node
from tests.core.helpers import events

APPROVER = Path(__file__).with_name("approver.py")


def loser_waits_on_a_lock(engine: Engine) -> bool:
    """PostgreSQL: wait (bounded) until another session is blocked on a row lock, so that the
    winner commits while the other claim is inside its transaction, not before it began."""
    from sqlalchemy import text

    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as conn:
        for _ in range(3000):
            if conn.execute(query).scalar_one():
                return True
            time.sleep(0.01)
    return False


@pytest.mark.slow
def test_two_approvers_claiming_at_once_one_gets_it_and_the_other_is_told_who(
    node: Node, tmp_path: Path
) -> None:
    hall = open_hall(node, tmp_path / "catalog")
    now = datetime(2026, 11, 9, 10, 0, tzinfo=HALL)
    with write_session(hall.engine) as session:
        zhao = create_user(
            session,
            node.operator,
            username="zhao",
            display_name="赵审批",
            role="approver",
            password="secret123",
            department="SCJG",
        )
        case = commands.accept(session, hall.clerk, complete_f5(), now=now).case
    with write_session(hall.engine) as session:
        backoffice.hand_off(session, hall.clerk, case.id, now=now)
    assert hall.approver.user_id is not None
    names = {"wang": "王审批", "zhao": "赵审批"}
    approvers = {
        username: subprocess.Popen(
            [
                sys.executable,
                str(APPROVER),
                node.url,
                node.site,
                username,
                user_id,
                "SCJG",
                case.id,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for username, user_id in (("wang", hall.approver.user_id), ("zhao", zhao.id))
    }
    try:
        for approver in approvers.values():
            assert approver.stdout is not None
            assert approver.stdout.readline().strip() == "ready", approver.stderr
        for approver in approvers.values():  # the start signal, as close together as we can
            assert approver.stdin is not None
            approver.stdin.write("go\n")
            approver.stdin.flush()

        for approver in approvers.values():
            assert approver.stdout is not None
            assert approver.stdout.readline().strip() == "claiming", approver.stderr
        # Whoever claims first holds its transaction open; the other is then blocked on the
        # case's lock (it prints nothing until the first commits), so the first line is the
        # winner's.
        with selectors.DefaultSelector() as waiting:
            for username, approver in approvers.items():
                assert approver.stdout is not None
                waiting.register(approver.stdout, selectors.EVENT_READ, username)
            ready = waiting.select(timeout=60)
        assert ready, "neither approver claimed within 60 s"
        winner = ready[0][0].data
        first = approvers[winner].stdout
        assert first is not None
        assert first.readline().strip() == "claimed", approvers[winner].stderr
        if node.url.startswith("postgresql"):
            assert loser_waits_on_a_lock(hall.engine), "the other claim never waited"

        outputs = {}
        for username in (winner, *(name for name in approvers if name != winner)):
            out, err = approvers[username].communicate("commit\n", timeout=60)
            assert approvers[username].returncode == 0, err
            outputs[username] = out.splitlines()
    finally:
        for approver in approvers.values():
            approver.kill()

    [loser] = [name for name in approvers if name != winner]
    assert outputs[winner] == ["committed"]
    assert outputs[loser][:2] == ["refused", "ClaimedByOther"], outputs[loser]
    message = outputs[loser][2]
    assert names[winner] in message and case.number in message
    assert names[loser] not in message

    with read_session(hall.engine) as session:
        row = session.get(Case, case.id)
        assert row is not None
        assert (row.state, row.assignee, row.assignee_name) == (IN_REVIEW, winner, names[winner])
        claims = session.exec(select(CaseStep).where(CaseStep.type == "case.claimed")).all()
        assert [step.actor for step in claims] == [winner]
        checked, breach = verify(session)
    assert breach is None and checked > 0
    assert len(events(hall.engine, "case.claimed")) == 1
