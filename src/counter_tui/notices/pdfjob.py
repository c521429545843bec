"""PDF notices made in a short-lived child process, so that printing leaves the app's memory
where it was.

Measured (issue 12; a real node at 80x24, accept + print as PDF): made inside the app, the first
PDF raised the app's RSS from 84 to 150 MB and each later one left 1 to 20 MB more (150, 160,
180, 182, 184 …). Not a cache: tracemalloc counts 1 MB of live objects after a render, 39 MB at
its peak (fpdf2 and fontTools parse the 5 MB CJK font for every document; it cannot be kept,
subsetting changes it). The memory is freed but stays with the allocator, fragmented, spread
over the arenas of Textual's worker threads (MALLOC_ARENA_MAX=1 halves the later growth, it
does not remove it). A child process gives all of it back when it exits: with it, printing
costs the app nothing (84 → 98 MB over 12 intakes, the same as closing the preview with Esc).
It costs about 0.3 s per print (a fresh interpreter and fpdf2's import), paid once for all the
notices of an outcome, inside the worker that prints.

Protocol: the parent writes `{"font": path or null, "notices": [Notice JSON …]}` to the child's
stdin; the child answers with a JSON list of base64 PDFs on stdout, or a Chinese message on
stderr and exit status 2 when the user can fix it (no font).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from counter_tui.errors import UserError
from counter_tui.notices.content import Notice, from_json, to_json

#: Seconds a batch of PDFs may take: about 1 s per notice on a slow PC, with room to spare.
TIMEOUT = 120
MODULE = "counter_tui.notices.pdfjob"


def render_pdfs(notices: Sequence[Notice], font: Path | None = None) -> list[bytes]:
    """Each notice as an A4 PDF (pdf.render_pdf), made in a child process."""
    request = {
        "font": str(font) if font is not None else None,
        "notices": [to_json(n) for n in notices],
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", MODULE],
            input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UserError(f"生成 PDF 文书超过 {TIMEOUT} 秒未完成，请重试") from None
    except OSError as exc:
        raise UserError(f"无法启动 PDF 文书生成：{exc.strerror or exc}，请重试") from None
    problem = done.stderr.decode("utf-8", errors="replace").strip()
    if done.returncode == UserError.exit_code and problem:
        raise UserError(problem.splitlines()[-1])
    if done.returncode != 0:
        kind = problem.splitlines()[-1] if done.returncode == 1 and problem else ""
        raise UserError(
            f"生成 PDF 文书失败（{kind or f'退出码 {done.returncode}'}）；"
            "可重试，或在配置文件 [print] 把 format 改为 80mm 打印纯文字"
        )
    return [base64.b64decode(text) for text in json.loads(done.stdout)]


def main() -> None:
    """The child: read the request, write the PDFs, exit (everything it held goes with it)."""
    from counter_tui.notices.pdf import render_pdf

    request = json.loads(sys.stdin.buffer.read())
    font = Path(request["font"]) if request["font"] else None
    try:
        pdfs = [render_pdf(from_json(data), font) for data in request["notices"]]
    except UserError as exc:
        sys.stderr.write(exc.message + "\n")
        sys.exit(UserError.exit_code)
    except Exception as exc:  # any other failure is reported by its kind only
        # Its message may quote the notice (a name the font lacks): never shown on screen.
        sys.stderr.write(f"{type(exc).__name__}\n")
        sys.exit(1)
    sys.stdout.write(json.dumps([base64.b64encode(pdf).decode("ascii") for pdf in pdfs]))


if __name__ == "__main__":
    main()
