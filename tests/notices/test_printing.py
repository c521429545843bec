"""Printing never loses a notice: the file is saved first, whatever the printer does."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from counter_tui.errors import UserError
from counter_tui.notices import compose
from counter_tui.notices.content import Notice
from counter_tui.notices.printing import command_line, deliver
from counter_tui.settings import PrintSettings

from .factory import (
    DEFERRED_PLACE,
    MISSING_PHOTO,
    RECEIVED_ID,
    case,
    facts,
    person_intake,
)


@pytest.fixture
def receipt() -> Notice:
    intake = person_intake(居民身份证=RECEIVED_ID, 场所证明=DEFERRED_PLACE, 照片=MISSING_PHOTO)
    return compose.receipt(facts(case(intake)))


def fake_printer(tmp_path: Path, body: str) -> Path:
    """A print command: a Python script, so the test needs no real printer."""
    script = tmp_path / "fake-lp"
    script.write_text(f"#!{sys.executable}\nimport shutil, sys\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_without_a_command_the_notice_is_saved_in_a_dated_folder(
    tmp_path: Path, receipt: Notice
) -> None:
    done = deliver(receipt, PrintSettings(folder=tmp_path / "notices", format="80mm"))

    assert done.path == tmp_path / "notices" / "2026-11-23" / "421202-XA-BYQ-261123-0007-SL.txt"
    assert done.printed is False
    assert done.message == f"已保存到 {done.path}"
    assert "受理通知书" in done.path.read_text(encoding="utf-8")


def test_a_reprint_never_overwrites_the_first(tmp_path: Path, receipt: Notice) -> None:
    settings = PrintSettings(folder=tmp_path, format="58mm")

    paths = [deliver(receipt, settings).path for _ in range(3)]

    assert [p.name for p in paths] == [
        "421202-XA-BYQ-261123-0007-SL.txt",
        "421202-XA-BYQ-261123-0007-SL-2.txt",
        "421202-XA-BYQ-261123-0007-SL-3.txt",
    ]
    assert all(p.exists() for p in paths)


def test_58mm_text_fits_the_paper(tmp_path: Path, receipt: Notice) -> None:
    done = deliver(receipt, PrintSettings(folder=tmp_path, format="58mm"))

    text = done.path.read_text(encoding="utf-8")
    assert max(cell_len(line) for line in text.splitlines()) <= 32


def test_the_command_gets_the_saved_pdf(tmp_path: Path, receipt: Notice) -> None:
    copied = tmp_path / "printed.pdf"
    printer = fake_printer(tmp_path, f"shutil.copy(sys.argv[-1], {str(copied)!r})")

    done = deliver(receipt, PrintSettings(command=f"{printer} -d HALL1", folder=tmp_path / "out"))

    assert done.printed is True
    assert done.path.suffix == ".pdf" and done.path.exists()
    assert copied.read_bytes() == done.path.read_bytes()
    assert done.message.startswith(f"已送打印机：{printer} -d HALL1")


def test_a_file_placeholder_puts_the_path_where_the_command_wants_it(
    tmp_path: Path, receipt: Notice
) -> None:
    copied = tmp_path / "printed.txt"
    printer = fake_printer(
        tmp_path, f"assert sys.argv[-1] == 'now'\nshutil.copy(sys.argv[2], {str(copied)!r})"
    )

    done = deliver(
        receipt,
        PrintSettings(command=f"{printer} --file {{file}} now", folder=tmp_path, format="80mm"),
    )

    assert done.printed is True
    assert copied.read_text(encoding="utf-8") == done.path.read_text(encoding="utf-8")


def test_a_failing_printer_keeps_the_file_and_says_why(tmp_path: Path, receipt: Notice) -> None:
    printer = fake_printer(
        tmp_path, "sys.stderr.write('\\nlp: 打印机 HALL1 不存在\\nmore\\n')\nsys.exit(1)"
    )

    done = deliver(receipt, PrintSettings(command=str(printer), folder=tmp_path, format="80mm"))

    assert done.printed is False
    assert done.path.exists()
    assert done.message == (
        f"打印命令失败（退出码 1）：lp: 打印机 HALL1 不存在；文件已保存到 {done.path}"
    )


def test_a_missing_print_command_keeps_the_file(tmp_path: Path, receipt: Notice) -> None:
    done = deliver(
        receipt,
        PrintSettings(command="no-such-lp-command -d X", folder=tmp_path, format="58mm"),
    )

    assert done.printed is False and done.path.exists()
    assert done.message == f"找不到打印命令：no-such-lp-command；文件已保存到 {done.path}"


def test_an_unwritable_folder_is_named(tmp_path: Path, receipt: Notice) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")

    with pytest.raises(UserError) as error:
        deliver(receipt, PrintSettings(folder=blocked, format="80mm"))

    assert "无法保存文书到" in error.value.message and str(blocked) in error.value.message


def test_command_line_quotes_and_appends() -> None:
    path = Path("/tmp/a b.pdf")

    assert command_line('lp -d "HALL 1"', path) == ["lp", "-d", "HALL 1", "/tmp/a b.pdf"]
    assert command_line("print --in={file} -q", path) == ["print", "--in=/tmp/a b.pdf", "-q"]


@pytest.mark.skipif(os.name != "posix", reason="no shell metacharacters test off POSIX")
def test_the_command_is_not_run_by_a_shell(tmp_path: Path, receipt: Notice) -> None:
    marker = tmp_path / "injected"
    printer = fake_printer(tmp_path, "pass")

    deliver(
        receipt,
        PrintSettings(command=f"{printer} ; touch {marker}", folder=tmp_path, format="80mm"),
    )

    assert not marker.exists()
