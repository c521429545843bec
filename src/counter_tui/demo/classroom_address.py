"""Where a class listens: `--host` and `--port` checked before the class starts (a port in use
is the usual trouble: a class left running, another program), said in Chinese with what to do;
and the addresses a trainee types, which for a class open to the room are the PC's own."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import sys
from typing import Any

from counter_tui.errors import UserError

#: Hosts meaning "every network card of this PC": the room's browsers can connect.
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


def check_address(host: str, port: int) -> None:
    """Raise a UserError if the class could not listen on host:port (tried by binding, as the
    server will: a port in use, a host that is not this PC's, a port that needs root)."""
    if not 1 <= port <= 65535:
        raise UserError(f"--port 应在 1 到 65535 之间，收到 {port}")
    for family, kind, proto, _, address in _resolve(host, port):
        with socket.socket(family, kind, proto) as probe:
            if sys.platform != "win32":  # as asyncio's server does; on Windows it shares ports
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                with contextlib.suppress(OSError):
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                raise UserError(address_problem(host, port, exc)) from None


def address_problem(host: str, port: int, exc: OSError) -> str:
    """Why listening on host:port failed, and what to do, in Chinese."""
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8000
        return (
            f"端口 {port} 已被占用：换一个 --port（如 --port {other}），"
            "或先结束占用它的程序（也许是上一堂还没结束的课）"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"地址 {host} 不是本机的地址：--host 应为本机的一个地址，"
            "如 127.0.0.1（只有本机）或 0.0.0.0（教室里的其他电脑也能连接）"
        )
    if exc.errno == errno.EACCES:
        return f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）：换一个 --port，如 8000"
    return f"无法在 {host}:{port} 上开课：{exc.strerror or exc}"


def class_urls(host: str, port: int) -> list[str]:
    """The addresses to give the trainees. For a wildcard host, this PC's network addresses
    (the one the room can reach first), then the PC's own 127.0.0.1 for the trainer."""
    if host.strip() == "::":  # IPv6 only (asyncio's server sets IPV6_V6ONLY)
        return [_url("::1", port)]
    if host.strip() not in WILDCARDS:
        return [_url(host.strip(), port)]
    found = [a for a in _own_addresses() if not a.startswith("127.")]
    return [_url(a, port) for a in found] + [_url("127.0.0.1", port)]


def only_this_pc(host: str) -> bool:
    """Whether only this PC can connect (a loopback address: the default, to try a class)."""
    name = host.strip()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


#: Said under the address when only this PC can connect.
ONLY_THIS_PC = "只有本机能连接；要让教室里的电脑连接，请用 --host 0.0.0.0 重新开课"


def _resolve(host: str, port: int) -> list[tuple[Any, ...]]:
    """Every address `host` names (a host name may name an IPv4 and an IPv6 one)."""
    name = host.strip()
    try:
        return socket.getaddrinfo(
            name or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError):
        raise UserError(
            f"找不到地址 {host!r}：--host 应为本机的一个地址或主机名，"
            "如 127.0.0.1（只有本机）或 0.0.0.0（教室里的其他电脑也能连接）"
        ) from None


def _own_addresses() -> list[str]:
    """This PC's IPv4 addresses, the one with the default route first (no packet is sent:
    connecting a UDP socket only picks the route)."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.connect(("10.255.255.255", 1))
        found.append(udp.getsockname()[0])
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    return list(dict.fromkeys(a for a in found if a and a != "0.0.0.0"))


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"
