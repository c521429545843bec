"""Bundles refused (docs/sync.md, "Sync by file"): each with one Chinese line naming why, and
nothing applied at the end that refused it — its events, its link and no reply written."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from counter_tui.db import read_session, write_session
from counter_tui.desk.files import BundleRefused
from counter_tui.desk.node import Desk
from counter_tui.sync import bundle
from counter_tui.sync.keys import public_of
from counter_tui.sync.models import HubSite, NodeKey
from tests.sync.bundles import ADMIN, Ends, ends, link_of, snapshot
from tests.sync.helpers import HUB_SITE, VILLAGE_SITE, handed_off

OTHER_SITE = "421202-XA-QLC"


@pytest.fixture
def e(tmp_path: Path) -> Iterator[Ends]:
    with ends("sqlite", tmp_path) as found:
        handed_off(found.served.village)
        yield found


def _refused_at_hub(e: Ends, path: Path, *words: str) -> str:
    before = snapshot(e.hub)
    reply = e.folder / "reply-refused.ctb"
    with pytest.raises(BundleRefused) as refused:
        e.hub.files.import_bundle(ADMIN, path, reply)
    message = refused.value.message
    assert "\n" not in message and all(w in message for w in words), message
    assert snapshot(e.hub) == before
    assert not reply.exists()
    return message


def _refused_at_village(e: Ends, path: Path, *words: str) -> str:
    before, link = snapshot(e.village), link_of(e.village)
    with pytest.raises(BundleRefused) as refused:
        e.village.files.take_reply(path)
    message = refused.value.message
    assert "\n" not in message and all(w in message for w in words), message
    assert snapshot(e.village) == before
    after = link_of(e.village)
    assert (after.pull_cursor, after.pushed_count, after.reply_made_at) == (
        link.pull_cursor,
        link.pushed_count,
        link.reply_made_at,
    )
    return message


def _key(desk: Desk) -> NodeKey:
    with read_session(desk.engine) as s:
        key = s.get(NodeKey, 1)
        assert key is not None
        s.expunge(key)
        return key


def _stranger() -> NodeKey:
    private = Ed25519PrivateKey.generate()
    import base64

    return NodeKey(
        private_key=base64.b64encode(private.private_bytes_raw()).decode(),
        public_key=public_of(private),
        created_at=datetime.now(UTC),
    )


def _forged(
    e: Ends,
    key: NodeKey,
    *,
    kind: str = bundle.EXPORT,
    sender: str = VILLAGE_SITE,
    addressee: str = HUB_SITE,
    name: str = "forged.ctb",
) -> Path:
    """A bundle with the body of a real export, written as someone else would."""
    real = bundle.open_bundle(e.export("real.ctb"))
    path = e.folder / name
    bundle.write(
        path,
        key,
        kind=kind,
        sender=sender,
        addressee=addressee,
        made_at=datetime.now(UTC),
        body=real.body,
    )
    return path


def test_a_file_of_another_format_is_not_a_bundle(e: Ends) -> None:
    other = e.folder / "photo.jpg"
    other.write_bytes(b"\xff\xd8\xff\xe0" + b"JFIF" * 100)
    _refused_at_hub(e, other, "不是 counter-tui 的同步文件")
    _refused_at_village(e, other, "不是 counter-tui 的同步文件")
    empty = e.folder / "empty.ctb"
    empty.write_bytes(b"")
    _refused_at_hub(e, empty, "不是 counter-tui 的同步文件")
    missing = e.folder / "nowhere.ctb"
    _refused_at_hub(e, missing, "找不到文件")


def test_a_bundle_of_a_newer_format_asks_for_an_upgrade(e: Ends) -> None:
    path = e.export()
    data = path.read_bytes()
    newer = e.folder / "newer.ctb"
    newer.write_bytes(data.replace(b"counter-tui-bundle/1\n", b"counter-tui-bundle/2\n", 1))
    message = _refused_at_hub(e, newer, "由较新版本", "请升级")
    assert "格式 2" in message


@pytest.mark.parametrize("keep", [0.0, 0.01, 0.3, 0.6, 0.999])
def test_a_truncated_bundle_is_refused(e: Ends, keep: float) -> None:
    path = e.export()
    data = path.read_bytes()
    cut = e.folder / "cut.ctb"
    cut.write_bytes(data[: max(1, int(len(data) * keep))])
    _refused_at_hub(e, cut, "不完整", "截断")


def test_one_byte_changed_anywhere_is_refused(e: Ends) -> None:
    path = e.export()
    data = path.read_bytes()
    header_end = data.index(b"\n", data.index(b"\n") + 1)
    # In the header's fields, the compressed body (start, middle, end), the signature.
    for at in (
        25,
        header_end - 3,
        header_end + 1,
        (header_end + len(data)) // 2,
        len(data) - 70,
        len(data) - 1,
    ):
        changed = bytearray(data)
        changed[at] ^= 0x01
        bad = e.folder / f"bad-{at}.ctb"
        bad.write_bytes(bytes(changed))
        _refused_at_hub(e, bad, "已被改动")
    longer = e.folder / "longer.ctb"
    longer.write_bytes(data + b"\x00")
    _refused_at_hub(e, longer, "已被改动")


def test_an_altered_reply_is_refused_at_the_village(e: Ends) -> None:
    reply = e.hub_import(e.export())
    data = bytearray(reply.read_bytes())
    data[len(data) // 2] ^= 0x80
    reply.write_bytes(bytes(data))
    _refused_at_village(e, reply, "已被改动")


def test_a_bundle_signed_with_another_key_is_refused(e: Ends) -> None:
    forged = _forged(e, _stranger())
    _refused_at_hub(e, forged, "签名密钥", "不是站点 421202-XA-BYQ 登记的密钥")
    # A reply that says it is the hub's, signed by someone else.
    fake = _forged(e, _stranger(), kind=bundle.REPLY, sender=HUB_SITE, addressee=VILLAGE_SITE)
    _refused_at_village(e, fake, "签名密钥", "不是中心 421202 登记的密钥")


def test_a_bundle_meant_for_another_site_is_refused(e: Ends) -> None:
    # A reply the hub wrote for another village, taken to this one.
    for_other = _forged(
        e, _key(e.hub), kind=bundle.REPLY, sender=HUB_SITE, addressee=OTHER_SITE, name="o.ctb"
    )
    _refused_at_village(e, for_other, "发给站点 421202-XA-QLC", "不是本站点")
    # An export addressed to another county hub.
    for_other_hub = _forged(e, _key(e.village), addressee="421203")
    _refused_at_hub(e, for_other_hub, "发给中心 421203", "不是本中心")
    # A reply from another hub than the one this village is registered with.
    other_hub = _forged(
        e, _key(e.hub), kind=bundle.REPLY, sender="421203", addressee=VILLAGE_SITE, name="h.ctb"
    )
    _refused_at_village(e, other_hub, "来自 421203", "不是本站点登记的中心")


def test_a_reply_to_another_pcs_export_is_refused_though_the_site_is_the_same(e: Ends) -> None:
    """Two PCs with one site code (or the old PC after `sync restore`): the hub's reply answers
    the PC whose export it took, and carries that PC's chain; the other PC must not take it."""
    reply = e.hub_import(e.export())
    other = _stranger()  # this database now stands for the site's other PC
    with write_session(e.village.engine) as s:
        mine = s.get(NodeKey, 1)
        assert mine is not None
        mine.private_key, mine.public_key = other.private_key, other.public_key
        s.add(mine)
    _refused_at_village(e, reply, "本站点另一台电脑", "不能导入")


def test_a_bundle_from_a_revoked_site_is_refused(e: Ends) -> None:
    path = e.export()
    e.hub.hub.revoke(ADMIN, VILLAGE_SITE)
    _refused_at_hub(e, path, "访问已被中心撤销")


def test_a_bundle_from_an_unregistered_site_is_refused(e: Ends) -> None:
    forged = _forged(e, _stranger(), sender=OTHER_SITE)
    _refused_at_hub(e, forged, "站点 421202-XA-QLC", "未在本中心登记")
    with write_session(e.hub.engine) as s:  # enrolled but never registered: no key yet
        s.add(
            HubSite(site=OTHER_SITE, name="青龙村", level="village", enrolled_at=datetime.now(UTC))
        )
    _refused_at_hub(e, forged, "还没有站点 421202-XA-QLC 的公钥")


def test_a_bundle_of_the_wrong_kind_says_where_it_belongs(e: Ends) -> None:
    export = e.export()
    reply = e.hub_import(export)
    _refused_at_hub(e, reply, "中心的回执文件", "sync import")
    _refused_at_village(e, export, "站点导出的同步文件", "hub import")


def test_a_signed_export_carrying_another_site_s_events_stores_none(e: Ends) -> None:
    real = bundle.open_bundle(e.export("real.ctb"))
    events = [dict(x) for x in real.body["events"]]
    events[-1]["site"] = OTHER_SITE
    path = e.folder / "mixed.ctb"
    bundle.write(
        path,
        _key(e.village),
        kind=bundle.EXPORT,
        sender=VILLAGE_SITE,
        addressee=HUB_SITE,
        made_at=datetime.now(UTC),
        body=real.body | {"events": events},
    )
    _refused_at_hub(e, path, "站点 421202-XA-QLC 的事件")


def test_a_refused_import_leaves_the_importing_end_as_it_was_on_the_command_line(
    e: Ends, tmp_path: Path
) -> None:
    """The CLI: one Chinese line on stderr, exit 2."""
    from tests.conftest import cli_in

    (tmp_path / "cli").mkdir()
    cli = cli_in(tmp_path / "cli")
    bad = e.folder / "bad.ctb"
    bad.write_bytes(zlib.compress(b"not a bundle"))
    ran = cli("sync", "import", bad, db=e.served.village_url)
    assert ran.code == 2 and "不是 counter-tui 的同步文件" in ran.error_line


def test_a_file_that_cannot_be_written_is_refused_before_anything_is_done(e: Ends) -> None:
    nowhere = e.folder / "no-stick" / "out.ctb"
    with pytest.raises(BundleRefused, match="不存在"):
        e.village.files.export(nowhere)
    bundle_path = e.export()
    before = snapshot(e.hub)
    with pytest.raises(BundleRefused, match="不存在"):
        e.hub.files.import_bundle(ADMIN, bundle_path, nowhere)
    with pytest.raises(BundleRefused, match="是文件夹"):
        e.hub.files.import_bundle(ADMIN, bundle_path, e.folder)
    assert snapshot(e.hub) == before


def test_a_full_stick_is_said_in_chinese_and_leaves_no_half_file(
    e: Ends, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle.os, "replace", full)
    target = e.folder / "out.ctb"
    with pytest.raises(BundleRefused, match="磁盘（U 盘）已满") as refused:
        e.village.files.export(target)
    assert "No space" not in refused.value.message
    assert not target.exists() and not target.with_name("out.ctb.part").exists()
