"""A sync bundle: one file carried between a node and its hub when there is no network.

    counter-tui-bundle/1\\n         the magic line: the format and its version
    {header JSON}\\n                one line: kind, from, to, made_at, app version, signer …
    zlib-compressed JSON body
    Ed25519 signature               the last 64 bytes, over everything before them

The signature covers the magic line, the header and the compressed body, so one byte changed
anywhere is found before the body is read. A file whose signature fails is "truncated" when it
is shorter than its header says AND its compressed stream or the signature after it stops
short, else "altered": one changed byte cannot fake both (not the header's length, which
leaves the stream whole, nor a byte of the stream, which leaves the length right).

The signer's public key is in the header: the signature is checked against it first (a changed
byte: "altered"), then the key against the one this end holds for the sender ("signed by
another key"), so each refusal says what really happened. A bundle is written to a temporary
file and renamed into place: a stick pulled out mid-write leaves no half bundle under the real
name.

Every refusal is a `BundleRefused`: one Chinese line, raised before anything is applied.
"""

from __future__ import annotations

import errno
import json
import os
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from counter_tui import __version__
from counter_tui.errors import UserError
from counter_tui.sync.keys import SIGNATURE_BYTES, fingerprint, sign, verifies
from counter_tui.sync.models import NodeKey

FORMAT = "counter-tui-bundle"
#: The bundle format this program writes and reads.
VERSION = 1
MAGIC = f"{FORMAT}/".encode("ascii")
#: A node's export, read by `hub import`; the hub's reply, read by `sync import`.
EXPORT = "export"
REPLY = "reply"
KINDS = {EXPORT: "站点导出的同步文件", REPLY: "中心的回执文件"}
#: The longest header line read (it holds a few short fields).
_HEADER_LIMIT = 4096


class BundleRefused(UserError):
    """A bundle this end will not take, and why, in one Chinese line; nothing was applied."""


@dataclass(frozen=True)
class Header:
    kind: str
    #: The site that made the bundle and the site it is for.
    sender: str
    addressee: str
    made_at: datetime
    app_version: str
    #: The signer's public key (base64 of the raw bytes) and its fingerprint.
    signer_key: str
    signer: str


@dataclass(frozen=True)
class Opened:
    """A bundle whose signature holds against the key it names: not yet checked against the
    key this end holds for the sender (`check_signer`)."""

    path: Path
    header: Header
    body: dict[str, Any]
    size_bytes: int


def write(
    path: Path,
    key: NodeKey,
    *,
    kind: str,
    sender: str,
    addressee: str,
    made_at: datetime,
    body: dict[str, Any],
) -> int:
    """Write a signed bundle to `path` (through a temporary file beside it); its size."""
    compressed = zlib.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), 6)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "from": sender,
        "to": addressee,
        "made_at": made_at.isoformat(),
        "app_version": __version__,
        "signer": fingerprint(key.public_key),
        "signer_key": key.public_key,
        "compression": "zlib",
        "body_bytes": len(compressed),
    }
    signed = (
        MAGIC
        + f"{VERSION}\n".encode("ascii")
        + json.dumps(header, ensure_ascii=False).encode("utf-8")
        + b"\n"
        + compressed
    )
    data = signed + sign(key, signed)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BundleRefused(f"无法写入文件 {path}：{_why(exc)}") from None
    return len(data)


def open_bundle(path: Path) -> Opened:
    """Read and check a bundle as far as it can be without knowing who sent it: the format, its
    version, its length, its signature against the key it names. BundleRefused otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BundleRefused(f"找不到文件 {path}") from None
    except IsADirectoryError:
        raise BundleRefused(f"{path} 是文件夹，不是同步文件") from None
    except OSError as exc:
        raise BundleRefused(f"无法读取文件 {path}：{_why(exc)}") from None
    name = path.name
    if len(data) < len(MAGIC) + 2:
        if data and MAGIC.startswith(data[: len(MAGIC)]):
            raise BundleRefused(f"{name} 不完整（文件被截断），请重新导出或复制")
        raise BundleRefused(f"{name} 不是 counter-tui 的同步文件")
    if not data.startswith(MAGIC):
        raise BundleRefused(f"{name} 不是 counter-tui 的同步文件")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + 16)
    if end < 0:
        raise BundleRefused(f"{name} 不完整（文件被截断），请重新导出或复制")
    version_text = data[len(MAGIC) : end]
    if not version_text.isdigit():
        raise BundleRefused(f"{name} 不是 counter-tui 的同步文件（格式版本无法识别）")
    version = int(version_text)
    if version > VERSION:
        raise BundleRefused(
            f"{name} 由较新版本的 counter-tui 生成（文件格式 {version}，本机只认 {VERSION}），"
            "请升级本机的 counter-tui 后再导入"
        )
    if version < 1:
        raise BundleRefused(f"{name} 的文件格式版本 {version} 无法识别")
    start = end + 1
    stop = data.find(b"\n", start, start + _HEADER_LIMIT)
    if stop < 0:
        if len(data) - start < _HEADER_LIMIT:
            raise BundleRefused(f"{name} 不完整（文件被截断），请重新导出或复制")
        raise BundleRefused(f"{name} 已被改动（文件头无法读取），不能导入")
    try:
        fields = json.loads(data[start:stop].decode("utf-8"))
        signer_key = str(fields["signer_key"])
        body_bytes = int(fields["body_bytes"])
    except (ValueError, KeyError, TypeError):
        raise BundleRefused(f"{name} 已被改动（文件头无法读取），不能导入") from None
    # The signature is the last 64 bytes, whatever the rest says: no length field to trust.
    signed, signature = data[:-SIGNATURE_BYTES], data[-SIGNATURE_BYTES:]
    if len(signed) <= stop or not verifies(signer_key, signature, signed):
        rest = data[stop + 1 :]
        if len(rest) < body_bytes + SIGNATURE_BYTES and _cut_short(rest):
            raise BundleRefused(f"{name} 不完整（文件被截断），请重新导出或复制")
        raise BundleRefused(f"{name} 已被改动（签名不符），不能导入")
    # Signed: from here on, what the header and body say is what the signer wrote.
    try:
        header = Header(
            kind=str(fields["kind"]),
            sender=str(fields["from"]),
            addressee=str(fields["to"]),
            made_at=datetime.fromisoformat(str(fields["made_at"])),
            app_version=str(fields.get("app_version", "")),
            signer_key=signer_key,
            signer=fingerprint(signer_key),
        )
        body = json.loads(zlib.decompress(signed[stop + 1 :]).decode("utf-8"))
        if not isinstance(body, dict):
            raise TypeError(body)
    except (ValueError, KeyError, TypeError, zlib.error):
        raise BundleRefused(f"{name} 的内容无法读取（签名完好，但格式不对）") from None
    return Opened(path, header, body, len(data))


#: What a stick or a disk says most often, as a clerk would understand it.
_OS_REASONS = {
    errno.ENOSPC: "磁盘（U 盘）已满，请换一个 U 盘或清理空间后重试",
    errno.EROFS: "U 盘或磁盘是只读的（是否打开了写保护？）",
    errno.EACCES: "没有读写这个位置的权限",
    errno.EPERM: "没有读写这个位置的权限",
    errno.EIO: "读写出错（U 盘是否已拔出或损坏？）",
}


def _why(exc: OSError) -> str:
    """An OS error in Chinese where it is a common one, else the system's own words."""
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def _cut_short(rest: bytes) -> bool:
    """Whether `rest` (what follows the header) ends before its compressed body and the
    signature after it do: a truncated file, rather than one with a byte changed."""
    reader = zlib.decompressobj()
    try:
        reader.decompress(rest)
    except zlib.error:
        return False  # a changed byte: a cut-off stream reads as far as it goes
    return not reader.eof or len(reader.unused_data) < SIGNATURE_BYTES


def check_kind(opened: Opened, kind: str, where: str) -> None:
    """Refuse a bundle of the other kind: `where` says where it should be imported."""
    if opened.header.kind == kind:
        return
    found = KINDS.get(opened.header.kind)
    if found is None:
        raise BundleRefused(f"{opened.path.name} 的类型「{opened.header.kind}」无法识别")
    raise BundleRefused(f"{opened.path.name} 是{found}，不是{KINDS[kind]}：{where}")


def check_signer(opened: Opened, expected_key: str, who: str) -> None:
    """Refuse a bundle signed with another key than `expected_key`, the one held for `who`."""
    if opened.header.signer_key != expected_key:
        raise BundleRefused(
            f"{opened.path.name} 的签名密钥（{opened.header.signer}）不是{who}登记的密钥"
            f"（{fingerprint(expected_key)}），不能导入"
        )
