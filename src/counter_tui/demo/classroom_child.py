"""The class's server as a child process of the trainer's view (demo/classroom.py says why):
`python -m counter_tui.demo.classroom_child FOLDER HOST PORT [--seed N] [--date D] [--scenario S]`.

It ends its seats on SIGTERM (the view ended, or died: see classroom_server.end_with_parent)
and on SIGHUP, as the server in the terminal does on Ctrl+C. A failure to start is its last
line of output, in Chinese, and exit code 2: the view's side shows that line.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from counter_tui.demo.classroom import READY_LINE, serve
from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError


def main(argv: list[str]) -> int:
    folder, host, port, *rest = argv
    given = dict(zip(rest[::2], rest[1::2], strict=True))
    parent = os.getppid()
    try:
        options = DemoOptions.from_cli(
            seed=int(given["--seed"]) if "--seed" in given else None,
            today=given.get("--date"),
            scenario=given.get("--scenario"),
        )
        serve(
            options, Path(folder), host, int(port), on_ready=lambda: print(READY_LINE, flush=True)
        )
    except UserError as exc:
        print(f"错误：{exc.message}", flush=True)
        return exc.exit_code
    finally:
        # The view removes the class folder once this process ended (reading its log first);
        # a view that died before it (its terminal closed) will not, so this one does.
        if os.getppid() != parent:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
