"""The pty driver of `counter-tui bench`: marker detection, and runs that paint, crash or hang."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from typing import Any

import pytest

from counter_tui.bench import ptyrun
from counter_tui.bench.ptyrun import MarkerScanner, RunFailed, RunSpec, run_all, run_in_pty

MARKER = "综合窗口登录"


def test_marker_found_in_one_chunk() -> None:
    scanner = MarkerScanner(MARKER.encode())
    assert not scanner.feed(b"\x1b[1;1H")
    assert scanner.feed(f"\x1b[1m{MARKER}\x1b[0m".encode())


@pytest.mark.parametrize("cut", range(1, len(MARKER.encode())))
def test_marker_split_across_two_chunks(cut: int) -> None:
    """Every cut, including inside a UTF-8 character: the pty hands out bytes, not characters."""
    data = b"\x1b[2;3H" + MARKER.encode() + b"\x1b[0m"
    cut += len(b"\x1b[2;3H")
    scanner = MarkerScanner(MARKER.encode())
    assert not scanner.feed(data[:cut])
    assert scanner.feed(data[cut:])


def test_marker_fed_one_byte_at_a_time() -> None:
    scanner = MarkerScanner(MARKER.encode())
    seen = [scanner.feed(bytes([b])) for b in b"xx" + MARKER.encode()]
    assert seen[-1] and not any(seen[:-1])


def test_marker_stays_found() -> None:
    scanner = MarkerScanner(b"READY")
    scanner.feed(b"READY")
    assert scanner.feed(b"later output")


def test_split_marker_with_other_text_between_is_not_found() -> None:
    scanner = MarkerScanner(b"READY")
    assert not scanner.feed(b"REA")
    assert not scanner.feed(b"\x1b[0mDY")


def test_tail_is_readable_text() -> None:
    scanner = MarkerScanner(b"READY")
    scanner.feed(b"\x1b[?1049h\x1b[1;1H\x1b]0;title\x07" + "错误".encode()[:4])
    scanner.feed("误\r\nTraceback: boom\x1b[0m".encode()[1:])
    assert scanner.tail == "错误\nTraceback: boom"


def test_tail_keeps_the_end() -> None:
    scanner = MarkerScanner(b"READY")
    for _ in range(100):
        scanner.feed(b"x" * 100)
    scanner.feed(b"the end")
    assert scanner.tail.endswith("the end")
    assert len(scanner.tail) == ptyrun.TAIL_CHARS


def test_empty_marker_is_refused() -> None:
    with pytest.raises(ValueError):
        MarkerScanner(b"")


# --- real runs of tiny programs -----------------------------------------------------------------


def _spec(code: str, **changes: Any) -> RunSpec:
    spec = RunSpec(name="probe", argv=[sys.executable, "-c", textwrap.dedent(code)], marker=MARKER)
    return replace(spec, **changes)


def test_run_paints_and_exits() -> None:
    """The marker written in two pieces, then a clean exit: paint before ready, both timed."""
    result = run_in_pty(
        _spec(
            f"""
            import os, shutil, sys, time
            assert os.isatty(1) and shutil.get_terminal_size() == (80, 24)
            data = "{MARKER}".encode()
            sys.stdout.buffer.write(data[:4]); sys.stdout.flush(); time.sleep(0.05)
            sys.stdout.buffer.write(data[4:]); sys.stdout.flush(); time.sleep(0.2)
            """
        )
    )
    assert result.exited_by_itself and result.returncode == 0
    assert result.ready_s is not None and 0 < result.first_paint_s < result.ready_s
    assert result.max_rss_kb > 0


def test_marker_written_just_before_exit_is_not_lost() -> None:
    """The program may be reaped before its last output is read: the run must still see it."""
    spec = _spec(f"import os; os.write(1, '{MARKER}'.encode()); os._exit(0)")
    for result in run_all([spec] * 10):
        assert result.exited_by_itself
        assert result.ready_s is not None and result.first_paint_s <= result.ready_s


def test_run_that_never_exits_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A program deaf to Ctrl+Q is terminated, and later runs of it are not waited for."""
    monkeypatch.setattr(ptyrun, "QUIT_TIMEOUT_S", 0.2)
    code = f"import time; print('{MARKER}', flush=True); time.sleep(60)"
    spec = _spec(code, exit_grace_s=0.3)
    first, second = run_all([spec, spec])
    assert not first.exited_by_itself and first.ready_s is None
    assert first.returncode == -15  # SIGTERM
    assert not second.exited_by_itself


def test_run_that_never_paints_times_out() -> None:
    with pytest.raises(RunFailed, match=r"0\.5 秒内没有画出首屏") as failed:
        run_in_pty(
            _spec("import time; print('loading', flush=True); time.sleep(60)", paint_timeout_s=0.5)
        )
    assert "loading" in str(failed.value)


def test_crash_before_paint_shows_the_traceback() -> None:
    with pytest.raises(RunFailed, match="还没画出首屏就退出了（退出码 1）") as failed:
        run_in_pty(_spec("raise SystemExit('无法打开数据库')"))
    assert "无法打开数据库" in str(failed.value)


def test_failure_after_paint_is_an_error() -> None:
    with pytest.raises(RunFailed, match="画出首屏后异常退出（退出码 3）"):
        run_in_pty(_spec(f"import sys; print('{MARKER}', flush=True); sys.exit(3)"))


def test_driver_stays_small() -> None:
    """The driver's own memory is counted in its children's peak RSS: no heavy imports in it."""
    code = (
        "import sys, counter_tui.bench.ptyrun;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'rich', 'sqlalchemy', 'sqlmodel', 'typer', 'alembic'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
