"""办理情形 at acceptance: every question needs an answer in force — the clerk's, or the default
the catalog marks — or the conditional materials would silently drop out; the one-time notice
still goes out, listing what each answer would add."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from counter_tui.actor import Actor
from counter_tui.cases import commands as cases_commands
from counter_tui.cases.commands import IntakeRefused
from counter_tui.cases.intake import RECEIVED, Agent, Intake, Mark, Party
from counter_tui.db import write_session
from counter_tui.notices.text import render_text
from tests.cases.catalog import open_hall
from tests.catalog.helpers import ITEM, write_catalog
from tests.conftest import HALL, Node
from tests.core.helpers import events

QUESTION = 'question = "是否委托他人办理？"'
NOW = datetime(2026, 11, 9, 10).replace(tzinfo=HALL)


def open_window(node: Node, root: Path, *, default: str = "") -> Actor:
    """The loader's test catalog (S-1 asks 是否委托他人办理？), its question defaulting to
    `default` if given; returns a clerk."""
    text = ITEM.format(code="S-1", name="个体工商户设立登记")
    if default:
        text = text.replace(QUESTION, f'{QUESTION}\ndefault = "{default}"')
    folder = write_catalog(root, **{"items/SCJG/S-1.toml": text})
    return open_hall(node, root, catalog=folder).clerk


def s1(**marks: str) -> Intake:
    intake = Intake(
        entry_code="S-1",
        applicant=Party(name="张三", id_number="420602198503151231", phone="13812345678"),
    )
    for kind in ("application", "resident_id", *marks):
        intake = intake.with_mark(kind, Mark(RECEIVED, original_seen=True, copies_kept=1))
    return intake


def test_an_unanswered_situation_blocks_acceptance_but_not_the_notice(
    node: Node, tmp_path: Path
) -> None:
    clerk = open_window(node, tmp_path)
    with pytest.raises(IntakeRefused) as caught, write_session(node.engine) as s:
        cases_commands.accept(s, clerk, s1(), now=NOW)
    assert "办理情形未回答，不能受理：“是否委托他人办理？”" in caught.value.message
    assert events(node.engine, "case.accepted") == []

    # The one-time notice may go: it lists what each answer would add.
    with write_session(node.engine) as s:
        notified = cases_commands.notify(s, clerk, s1(), now=NOW)
    text = render_text(notified.notices[0], width=80)
    assert "视办理情形还须提交" in text
    assert "委托代理人" in text and "授权委托书" in text

    answered = s1(power_of_attorney="").with_answer("S-1", "agent", "委托代理人")
    with write_session(node.engine) as s:
        case = cases_commands.accept(s, clerk, answered, case_id=notified.case.id, now=NOW).case
    assert case.state == "accepted"


def test_a_default_answer_stands_unless_the_form_names_an_agent(node: Node, tmp_path: Path) -> None:
    clerk = open_window(node, tmp_path, default="本人办理")
    agent = Agent(
        name="赵六", id_number="420606199001010025", phone="13912345678", authorisation="授权委托书"
    )

    with pytest.raises(IntakeRefused) as caught, write_session(node.engine) as s:
        cases_commands.accept(s, clerk, replace(s1(), agent=agent), now=NOW)
    assert (
        "已登记代办人：请回答“是否委托他人办理？”（现为默认的“本人办理”）" in caught.value.message
    )

    with write_session(node.engine) as s:
        assert cases_commands.accept(s, clerk, s1(), now=NOW).case.state == "accepted"
