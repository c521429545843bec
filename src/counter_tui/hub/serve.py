"""`counter-tui hub serve`: the sync API under uvicorn, on the hub's own database.

The database is checked here first (schema current, a county node, not a demo), so a wrong
`--db` is one Chinese line before any worker starts. Workers find the database in
app.DB_VARIABLE and each builds its own engine (`app.from_environment`); TLS is uvicorn's own
(`--ssl-keyfile`, `--ssl-certfile`), or a reverse proxy in front (README, Production set-up).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from counter_tui.errors import UserError
from counter_tui.hub.app import DB_VARIABLE, open_hub


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 8470
    workers: int = 1
    ssl_keyfile: Path | None = None
    ssl_certfile: Path | None = None
    #: Addresses whose X-Forwarded-* headers are trusted (a reverse proxy on the same machine).
    forwarded_allow_ips: str = "127.0.0.1"

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_certfile else "http"
        return f"{scheme}://{self.host}:{self.port}"


def check(listen: Listen) -> None:
    if not 1 <= listen.port <= 65535:
        raise UserError(f"端口应在 1–65535 之间：{listen.port}")
    if listen.workers < 1:
        raise UserError(f"--workers 至少为 1：{listen.workers}")
    if bool(listen.ssl_keyfile) != bool(listen.ssl_certfile):
        raise UserError("启用 TLS 需同时给出 --ssl-keyfile 和 --ssl-certfile")
    for path in (listen.ssl_keyfile, listen.ssl_certfile):
        if path is not None and not path.is_file():
            raise UserError(f"找不到 TLS 文件：{path}")


def serve(db_url: str, listen: Listen, announce: bool = True) -> None:
    """Serve until stopped (Ctrl+C, SIGTERM). Returns when uvicorn does."""
    check(listen)
    hub = open_hub(db_url)
    hub.engine.dispose()
    os.environ[DB_VARIABLE] = db_url
    if announce:
        print(f"中心 {hub.site}（{hub.name}）在 {listen.url} 提供同步服务", flush=True)
    import uvicorn

    uvicorn.run(
        "counter_tui.hub.app:from_environment",
        factory=True,
        host=listen.host,
        port=listen.port,
        workers=listen.workers,
        ssl_keyfile=str(listen.ssl_keyfile) if listen.ssl_keyfile else None,
        ssl_certfile=str(listen.ssl_certfile) if listen.ssl_certfile else None,
        proxy_headers=True,
        forwarded_allow_ips=listen.forwarded_allow_ips,
        server_header=False,
        timeout_graceful_shutdown=30,
    )
