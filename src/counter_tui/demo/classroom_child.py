"""The class's server as a child process of the trainer's view (demo/classroom.py says why):
`python -m counter_tui.demo.classroom_child FOLDER HOST PORT [--seed N] [--date D] [--scenario S]`.

It ends its seats on SIGTERM, as the server in the terminal does on Ctrl+C. A failure to start
is its last line of output, in Chinese, and exit code 2: the parent shows that line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from counter_tui.demo.classroom import serve
from counter_tui.demo.options import DemoOptions
from counter_tui.errors import UserError


def main(argv: list[str]) -> int:
    folder, host, port, *rest = argv
    given = dict(zip(rest[::2], rest[1::2], strict=True))
    try:
        options = DemoOptions.from_cli(
            seed=int(given["--seed"]) if "--seed" in given else None,
            today=given.get("--date"),
            scenario=given.get("--scenario"),
        )
        serve(options, Path(folder), host, int(port), on_ready=lambda: print("ready", flush=True))
    except UserError as exc:
        print(f"错误：{exc.message}", flush=True)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
